import type { Anomalies } from './anomalies.js';
import type { PullReader } from './pull-reader.js';
import { isStrictWarcDate } from './warc-date.js';

const MAX_LINE_BYTES = 64 * 1024;
const MAX_HEADER_LINES = 1000;
const MAX_HEADER_BYTES = 1024 * 1024;
const DEFAULT_MAX_BLOCK_BYTES = 64 * 1024 * 1024;

/** WARC named fields: case-insensitive lookup, order and duplicates kept. */
export class WarcHeaders {
  readonly pairs: readonly (readonly [string, string])[];
  constructor(pairs: readonly (readonly [string, string])[]) {
    this.pairs = pairs;
  }
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const [k, v] of this.pairs) if (k.toLowerCase() === lower) return v;
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

export interface ParseContext {
  readonly reader: PullReader;
  readonly anomalies: Anomalies;
  /** File offset to report for a record starting at the reader's `consumed` position. */
  offsetOf(inner: number): number;
  /** For gzip: whether the member being read is whole (a short block is then a wrong Content-Length). */
  memberComplete(): boolean;
  readonly gzip: boolean;
}

function isBlank(line: Buffer): boolean {
  return (line.length === 1 && line[0] === 10) || (line.length === 2 && line[0] === 13 && line[1] === 10);
}

function startsWithWarc(line: Buffer): boolean {
  return line.length >= 5 && line[0] === 0x57 && line[1] === 0x41 && line[2] === 0x52 && line[3] === 0x43 && line[4] === 0x2f;
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
    if (strictStart) return 'no-record-here';
    if (isBlank(got.line) && garbageFrom < 0) blankBytes += got.line.length;
    else if (garbageFrom < 0) garbageFrom = inner;
  }
  const offset = ctx.offsetOf(inner);
  if (garbageFrom >= 0) anomalies.add('garbage-skipped', ctx.offsetOf(garbageFrom), `${inner - garbageFrom} bytes skipped before a record`);
  else if (blankBytes > 2) anomalies.add('extra-blank-lines', offset, `${blankBytes} bytes of blank lines before a record`);

  const version = trimEol(first);
  if (!/^WARC\/(0\.\d+|1\.[01])$/.test(version)) anomalies.add('unknown-version', offset, version.slice(0, 40));
  let lfOnly = !first.subarray(-2).equals(Buffer.from('\r\n'));
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

function buildRecord(ctx: ParseContext, version: string, offset: number, headers: WarcHeaders): WarcRecord {
  const { reader, anomalies } = ctx;
  const declared = headers.get('Content-Length');
  let contentLength = declared !== undefined && /^\s*\d+\s*$/.test(declared) ? Number(declared) : NaN;
  if (!Number.isSafeInteger(contentLength)) {
    anomalies.add('missing-content-length', offset, `Content-Length ${JSON.stringify(declared ?? null)}`);
    // In a gzip member the member's end bounds the block; in a plain file nothing does.
    contentLength = ctx.gzip ? Number.MAX_SAFE_INTEGER : 0;
  }
  let uri = headers.get('WARC-Target-URI');
  if (uri !== undefined) {
    if (uri.startsWith('<') && uri.endsWith('>')) {
      anomalies.add('uri-angle-brackets', offset, 'WARC-Target-URI in angle brackets');
      uri = uri.slice(1, -1);
    }
    if (/\s/.test(uri)) {
      anomalies.add('uri-spaces', offset, 'spaces in WARC-Target-URI');
      uri = uri.trim().replace(/\s/g, '%20');
    }
  }
  const date = headers.get('WARC-Date');
  if (date !== undefined && !isStrictWarcDate(date)) anomalies.add('odd-date', offset, `WARC-Date ${JSON.stringify(date.slice(0, 40))}`);

  let readBytes = 0;
  let started = false;
  let finished = false;
  const blockChunks = async function* (): AsyncGenerator<Buffer> {
    if (started) throw new Error('block already read');
    started = true;
    for await (const c of reader.take(contentLength - readBytes)) {
      readBytes += c.length;
      yield c;
    }
  };
  const rec: WarcRecord = {
    version,
    offset,
    length: 0,
    innerOffset: undefined,
    headers,
    type: headers.get('WARC-Type') ?? '',
    targetUri: uri,
    date,
    recordId: headers.get('WARC-Record-ID'),
    contentLength: declared === undefined ? -1 : contentLength,
    complete: true,
    blockTruncated: false,
    blockChunks,
    async readBlock(maxBytes = DEFAULT_MAX_BLOCK_BYTES) {
      const parts: Buffer[] = [];
      let n = 0;
      for await (const c of blockChunks()) {
        if (n + c.length > maxBytes) {
          parts.push(c.subarray(0, maxBytes - n));
          n = maxBytes;
          rec.blockTruncated = true;
          break;
        }
        parts.push(c);
        n += c.length;
      }
      return Buffer.concat(parts, n);
    },
    async done() {
      if (finished) return;
      finished = true;
      started = true;
      const want = contentLength - readBytes;
      const got = await reader.skip(want);
      readBytes += got;
      if (got < want && contentLength !== Number.MAX_SAFE_INTEGER) {
        rec.complete = false;
        if (ctx.gzip && ctx.memberComplete()) anomalies.add('content-length-too-long', offset, `block has ${readBytes} of ${contentLength} declared bytes`);
        else anomalies.add('truncated-block', offset, `block cut at ${readBytes} of ${contentLength} bytes`);
        return;
      }
      const tail = await reader.peek(4);
      let eol = 0;
      while (eol < tail.length && (tail[eol] === 13 || tail[eol] === 10)) eol++;
      await reader.skip(eol);
      const crlfOk = tail.subarray(0, eol).equals(Buffer.from('\r\n\r\n')) || contentLength === Number.MAX_SAFE_INTEGER;
      if (ctx.gzip && !(await reader.atEnd()) && !startsWithWarc(await reader.peek(5))) {
        // The member boundary is authoritative: what follows the declared block in it belongs to this record.
        const extra = await reader.drain();
        anomalies.add('content-length-too-short', offset, `${extra} bytes after the block in its gzip member`);
        return;
      }
      if (!crlfOk) anomalies.add('missing-crlf', offset, 'record not followed by CRLF CRLF');
    },
  };
  return rec;
}
