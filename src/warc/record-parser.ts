import type { PullReader } from './pull-reader.js';
import { looksLikeArcHeader, parseArcHeaderLine } from './arc-header.js';
import { ParsedRecord, type RecordSource } from './parsed-record.js';
import { MAX_HEADER_BYTES, MAX_HEADER_LINES, MAX_LINE_BYTES, headAnomalies, recordFields, scanHead, startsWithWarc } from './head-scan.js';


/** WARC named fields: case-insensitive lookup, order and duplicates kept. */
export class WarcHeaders {
  readonly pairs: readonly (readonly [string, string])[];
  constructor(pairs: readonly (readonly [string, string])[]) {
    this.pairs = pairs;
  }
  get(name: string): string | undefined {
    // Exact case first: nearly every writer uses the spec's spelling, and this allocates nothing.
    for (const [k, v] of this.pairs) if (k === name) return v;
    const lower = name.toLowerCase();
    for (const [k, v] of this.pairs) if (k.length === lower.length && k.toLowerCase() === lower) return v;
    return undefined;
  }
}

/** One record as read. Its block streams from the file: read it before moving to the next record. */
export interface WarcRecord {
  readonly version: string;
  /** File offset of the record (of its gzip member in a .warc.gz). */
  readonly offset: number;
  /** Bytes the record takes in the file (its gzip member, compressed); known after `done()` (the iterator calls it). 0 for records sharing a member. */
  length: number;
  /** Uncompressed offset inside the gzip member, when several records share one member (whole-file gzip). */
  innerOffset: number | undefined;
  readonly headers: WarcHeaders;
  readonly type: string;
  readonly targetUri: string | undefined;
  readonly date: string | undefined;
  readonly recordId: string | undefined;
  /** Declared Content-Length (the block may be shorter in a damaged file: see `complete`). */
  readonly contentLength: number;
  /** False once reading found the block shorter than declared. */
  complete: boolean;
  /** The block, streamed (only once, before the next record). */
  blockChunks(): AsyncIterable<Buffer>;
  /** The block in memory, at most `maxBytes` (default 64 MiB); `blockTruncated` tells whether it was cut. */
  readBlock(maxBytes?: number): Promise<Buffer>;
  blockTruncated: boolean;
  /** Consumes the rest of the block and the record's trailing CRLFs. */
  done(): Promise<void>;
}

export interface ParseContext extends RecordSource {
  /** File offset to report for a record starting at the reader's `consumed` position. */
  offsetOf(inner: number): number;
}

function isBlank(line: Buffer): boolean {
  return (line.length === 1 && line[0] === 10) || (line.length === 2 && line[0] === 13 && line[1] === 10);
}


/** Whether the reader is at the start of a WARC record or an ARC header line. */
export async function recordFollows(reader: PullReader): Promise<boolean> {
  const head = await reader.peek(2048);
  if (startsWithWarc(head)) return true;
  const nl = head.indexOf(10);
  return nl >= 0 && parseArcHeaderLine(head.subarray(0, nl + 1)) !== undefined;
}

function trimEol(line: Buffer): string {
  let end = line.length;
  if (end > 0 && line[end - 1] === 10) end--;
  if (end > 0 && line[end - 1] === 13) end--;
  return line.toString('utf8', 0, end);
}

/**
 * Reads the next record's head (skipping and counting whatever is not a record) and returns the
 * record with its block ready to stream. Null at the end. `strictStart` fails instead of skipping.
 */
export async function parseRecord(ctx: ParseContext, strictStart = false): Promise<WarcRecord | null | 'no-record-here'> {
  const fast = await parseHeadInPlace(ctx);
  if (fast) return fast;
  const { reader, anomalies } = ctx;
  let garbageFrom = -1;
  let blankBytes = 0;
  let first: Buffer;
  let inner: number;
  for (;;) {
    inner = reader.consumed;
    const got = await reader.readLine(MAX_LINE_BYTES);
    if (got === null) {
      if (garbageFrom >= 0) anomalies.add('garbage-skipped', ctx.offsetOf(garbageFrom), `${reader.consumed - garbageFrom} bytes without a record at the end`);
      return null;
    }
    if (got.complete && startsWithWarc(got.line)) {
      first = got.line;
      break;
    }
    const arc = got.complete ? parseArcHeaderLine(got.line) : undefined;
    if (arc) {
      const offset = ctx.offsetOf(inner);
      if (garbageFrom >= 0) anomalies.add('garbage-skipped', ctx.offsetOf(garbageFrom), `${inner - garbageFrom} bytes skipped before a record`);
      return buildRecord(ctx, `ARC/${arc.arcVersion}`, offset, new WarcHeaders(arc.pairs), true);
    }
    if (strictStart) return 'no-record-here';
    // A header line of a record we cannot read: say so, with its offset, before skipping it as garbage.
    if (got.complete && looksLikeArcHeader(got.line)) anomalies.add('arc-bad-header', ctx.offsetOf(inner), `unreadable ARC header line: ${JSON.stringify(got.line.toString('latin1').trimEnd().slice(0, 200))}`);
    if (isBlank(got.line) && garbageFrom < 0) blankBytes += got.line.length;
    else if (garbageFrom < 0) garbageFrom = inner;
  }
  const offset = ctx.offsetOf(inner);
  if (garbageFrom >= 0) anomalies.add('garbage-skipped', ctx.offsetOf(garbageFrom), `${inner - garbageFrom} bytes skipped before a record`);
  else if (blankBytes > 2) anomalies.add('extra-blank-lines', offset, `${blankBytes} bytes of blank lines before a record`);

  const version = trimEol(first);
  if (!/^WARC\/(0\.\d+|1\.[01])$/.test(version)) anomalies.add('unknown-version', offset, version.slice(0, 40));
  let lfOnly = first.length < 2 || first[first.length - 2] !== 13;
  const pairs: [string, string][] = [];
  let headerBytes = first.length;
  for (;;) {
    const got = await reader.readLine(MAX_LINE_BYTES);
    if (got === null) {
      anomalies.add('truncated-header', offset, 'file ends inside a record header');
      return null;
    }
    headerBytes += got.line.length;
    if (!got.complete || pairs.length >= MAX_HEADER_LINES || headerBytes > MAX_HEADER_BYTES) {
      anomalies.add('header-too-long', offset, 'record header over the size limit');
      return parseRecord(ctx, strictStart);
    }
    if (isBlank(got.line)) break;
    if (got.line.length < 2 || got.line[got.line.length - 2] !== 13) lfOnly = true;
    const text = trimEol(got.line);
    const last = pairs.at(-1);
    if ((text.startsWith(' ') || text.startsWith('\t')) && last) {
      last[1] = `${last[1]} ${text.trim()}`;
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) {
      anomalies.add('bad-header-line', offset, text.slice(0, 80));
      continue;
    }
    pairs.push([text.slice(0, colon).trim(), text.slice(colon + 1).trim()]);
  }
  if (lfOnly) anomalies.add('lf-line-endings', offset, 'header lines end in LF, not CRLF');
  return buildRecord(ctx, version, offset, new WarcHeaders(pairs));
}

/**
 * The common case, parsed without a copy: the record starts right here and its whole head is in
 * the reader's current chunk (see scanHead). Otherwise undefined, having consumed nothing, and the
 * line-by-line path takes over.
 */
async function parseHeadInPlace(ctx: ParseContext): Promise<WarcRecord | undefined> {
  const { reader, anomalies } = ctx;
  const head = scanHead(reader.currentNow() ?? (await reader.current()));
  if (!head) return undefined;
  const offset = ctx.offsetOf(reader.consumed);
  reader.advance(head.end);
  headAnomalies(head, anomalies, offset);
  return buildRecord(ctx, head.version, offset, new WarcHeaders(head.pairs));
}

function buildRecord(ctx: ParseContext, version: string, offset: number, headers: WarcHeaders, arc = false): WarcRecord {
  const fields = recordFields(headers, ctx.anomalies, offset);
  // In a gzip member the member's end bounds a block without a length; in a plain file nothing does.
  const blockBytes = Number.isNaN(fields.contentLength) ? (ctx.gzip ? Number.MAX_SAFE_INTEGER : 0) : fields.contentLength;
  return new ParsedRecord(ctx, { version, offset, headers, uri: fields.uri, date: fields.date, declared: fields.declared !== undefined, blockBytes, arc });
}
