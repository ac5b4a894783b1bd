import { createHash } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Anomalies } from './anomalies.js';
import { cdxjEntry, formatCdxj, type CdxjEntry } from './cdxj.js';
import { base32 } from './digest.js';
import { httpHeader, readHttpHead } from './http-head.js';
import { sortLines } from './line-files.js';
import { WarcReader } from './reader.js';
import { parseWarcDate, timestamp14 } from './warc-date.js';

/** CDXJ entries of one WARC file, in file order: one per whole response/revisit record with a target URI. */
export async function* cdxjEntriesOf(path: string, options: { filename?: string; anomalies?: (a: Anomalies) => void } = {}): AsyncGenerator<CdxjEntry> {
  const filename = options.filename ?? basename(path);
  const reader = new WarcReader(path);
  try {
    for await (const rec of reader.records()) {
      if ((rec.type !== 'response' && rec.type !== 'revisit') || !rec.targetUri) continue;
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
      const ms = parseWarcDate(rec.date);
      const mime = rec.type === 'revisit' ? 'warc/revisit' : (httpHeader(head ?? { firstLine: '', status: undefined, headers: [], length: 0 }, 'Content-Type') ?? 'unk').split(';')[0]!.trim().toLowerCase() || 'unk';
      yield cdxjEntry({
        url: rec.targetUri,
        timestamp: ms === undefined ? '00000000000000' : timestamp14(ms),
        mime,
        status: head?.status === undefined ? '-' : String(head.status),
        digest: (digest ?? '-').replace(/^sha1:/i, ''),
        length: rec.length,
        offset: rec.offset,
        filename,
      });
    }
  } finally {
    options.anomalies?.(reader.anomalies);
  }
}

/** (Re)writes the sorted CDXJ of one WARC file, atomically (temp file + rename). Returns the entry count. */
export async function writeCdxjFor(warcPath: string, cdxjPath: string, filename?: string): Promise<number> {
  const tmp = `${cdxjPath}.building`;
  const lines = (async function* () {
    for await (const e of cdxjEntriesOf(warcPath, { filename })) yield formatCdxj(e);
  })();
  const n = await sortLines(lines, tmp);
  await rename(tmp, cdxjPath);
  return n;
}
