import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { commitFile } from '../fs/index.js';
import { basename } from 'node:path';
import { Anomalies } from './anomalies.js';
import { cdxjEntry, formatCdxj, type CdxjEntry } from './cdxj.js';
import { base32 } from './digest.js';
import { httpHeader, readHttpHead, type HttpHead } from './http-head.js';
import { sortLines } from './line-files.js';
import { MemberSkipper } from './member-skipper.js';
import { WarcReader } from './reader.js';
import type { WarcRecord } from './record-parser.js';
import { parseWarcDate, timestamp14 } from './warc-date.js';

type RecordFields = Pick<WarcRecord, 'type' | 'targetUri' | 'date' | 'headers'>;

const indexed = (rec: RecordFields): boolean => (rec.type === 'response' || rec.type === 'revisit') && !!rec.targetUri;

/** A response without WARC-Payload-Digest: the payload must be read to hash it. */
const needsBody = (rec: RecordFields): boolean => indexed(rec) && rec.type === 'response' && rec.headers.get('WARC-Payload-Digest') === undefined;

function entryOf(rec: RecordFields, head: HttpHead | undefined, digest: string | undefined, offset: number, length: number, filename: string): CdxjEntry {
  const ms = parseWarcDate(rec.date);
  const mime = rec.type === 'revisit' ? 'warc/revisit' : (head ? (httpHeader(head, 'Content-Type') ?? 'unk') : 'unk').split(';')[0]!.trim().toLowerCase() || 'unk';
  return cdxjEntry({
    url: rec.targetUri!,
    timestamp: ms === undefined ? '00000000000000' : timestamp14(ms),
    mime,
    status: head?.status === undefined ? '-' : String(head.status),
    digest: (digest ?? '-').replace(/^sha1:/i, ''),
    length,
    offset,
    filename,
  });
}

/** Full lenient reading from `offset` on: every block is read (the payload hashed when there is no digest). */
async function* readEntries(filename: string, reader: WarcReader): AsyncGenerator<CdxjEntry> {
  for await (const rec of reader.records()) {
    if (!indexed(rec)) continue;
    const it = rec.blockChunks()[Symbol.asyncIterator]();
    const { head, read } = await readHttpHead(it);
    let digest = rec.headers.get('WARC-Payload-Digest');
    if (digest === undefined && rec.type === 'response' && head) {
      const h = createHash('sha1').update(read.subarray(head.length));
      for (let r = await it.next(); !r.done; r = await it.next()) h.update(r.value);
      digest = `sha1:${base32(h.digest())}`;
    }
    await it.return?.(undefined);
    await rec.done();
    if (!rec.complete) continue;
    yield entryOf(rec, head, digest, rec.offset, rec.length, filename);
  }
}

export interface CdxjEntriesOptions {
  /** CDXJ `filename` field; default the file's base name. */
  filename?: string;
  /** Receives the reader's anomalies at the end. */
  anomalies?: (a: Anomalies) => void;
  /** Read every block with the full lenient reader (no member skipping). */
  fullRead?: boolean;
}

/**
 * CDXJ entries of one WARC (or ARC) file, in file order: one per whole response/revisit record
 * with a target URI. A `.warc.gz` with one member per record is indexed without inflating the
 * blocks (see MemberSkipper); from the first member that needs more, the full reader takes over.
 */
export async function* cdxjEntriesOf(path: string, options: CdxjEntriesOptions = {}): AsyncGenerator<CdxjEntry> {
  const filename = options.filename ?? basename(path);
  const from = options.fullRead ? 0 : yield* skippedEntries(path, filename);
  if (from === null) {
    options.anomalies?.(new Anomalies());
    return;
  }
  // Taking over from the skipper: the file is gzip, and records may already have been found.
  const reader = new WarcReader(path, from === 0 ? {} : { offset: from, gzip: true, requireRecord: false });
  try {
    yield* readEntries(filename, reader);
  } finally {
    options.anomalies?.(reader.anomalies);
  }
}

/** Entries read by member skipping; returns null at the end, or the offset where the full reader must take over. */
async function* skippedEntries(path: string, filename: string): AsyncGenerator<CdxjEntry, number | null> {
  const fh = await open(path, 'r');
  try {
    const skipper = new MemberSkipper(fh);
    let at = 0;
    for (;;) {
      const m = await skipper.next(at, needsBody);
      if (m === null) return null;
      if (m === 'fallback') return at;
      if (indexed(m.record)) yield entryOf(m.record, m.httpHead, m.record.headers.get('WARC-Payload-Digest'), m.start, m.end - m.start, filename);
      at = m.end;
    }
  } finally {
    await fh.close();
  }
}

/** (Re)writes the sorted CDXJ of one WARC file, durably (temp file, fsync, rename, fsync folder). Returns the entry count. */
export async function writeCdxjFor(warcPath: string, cdxjPath: string, filename?: string): Promise<number> {
  const tmp = `${cdxjPath}.building`;
  const lines = (async function* () {
    for await (const e of cdxjEntriesOf(warcPath, { filename })) yield formatCdxj(e);
  })();
  const n = await sortLines(lines, tmp);
  await commitFile(tmp, cdxjPath);
  return n;
}
