import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { decodeContent } from '../http/content-decoding.js';
import { detectCharset, createDecoder } from '../extract/charset.js';
import { httpPayload, parseHttpHead, readRecordAt, type HttpHead } from '../warc/index.js';
import { dechunk } from '../warc/http-payload.js';
import { httpHeader } from '../warc/http-head.js';
import { RecordUnreadableError } from './errors.js';

/** Records past this are refused for replay instead of being held whole (see docs/serve.md). */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface LoadedRecord {
  readonly type: string;
  readonly warcHeaders: ReadonlyMap<string, string> | { get(name: string): string | undefined };
  /** The archived HTTP head (undefined for a record without one, e.g. a `resource`). */
  readonly head: HttpHead | undefined;
  /** The payload as stored: after the head, de-chunked if the stored head says chunked, content-encoding kept. */
  readonly body: Buffer;
}

/**
 * The record at `offset` of `path`, whole. A record cut short (a truncated or damaged WARC) is an
 * error here, not a short page: replay must not pass a fragment off as the capture.
 */
export async function loadRecord(path: string, offset: number, maxBytes = MAX_RECORD_BYTES, length = 0): Promise<LoadedRecord> {
  if (length > 0 && length <= FAST_MAX_BYTES) {
    const fast = await loadWhole(path, offset, length);
    if (fast) return fast;
  }
  let rec;
  try {
    rec = await readRecordAt(path, offset, { maxBlockBytes: maxBytes });
  } catch (err) {
    throw new RecordUnreadableError(path, offset, (err as Error).message, err);
  }
  if (!rec.complete) throw new RecordUnreadableError(path, offset, 'the record is truncated (the WARC ends or is damaged inside it)');
  if (rec.blockTruncated) throw new RecordUnreadableError(path, offset, `the record is larger than the replay limit of ${maxBytes} bytes`);
  const hasHttp = rec.type === 'response' || rec.type === 'revisit' || /^HTTP\//.test(rec.block.subarray(0, 5).toString('latin1'));
  const head = hasHttp ? parseHttpHead(rec.block) : undefined;
  let body = head ? rec.block.subarray(head.length) : rec.block;
  if (head && /chunked/i.test(httpHeader(head, 'Transfer-Encoding') ?? '')) body = dechunk(body);
  return { type: rec.type, warcHeaders: rec.headers, head, body };
}

/** Records up to this size (compressed) are read in one positioned read when their length is known. */
const FAST_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The common case, fast: a record alone in a gzip member (or a plain record) whose length the
 * index gives, read in one positioned read and parsed in place. Anything unusual (an ARC record,
 * a short read, a Content-Length that does not fit, a damaged member) returns undefined and the
 * lenient reader takes over, with its precise errors.
 */
async function loadWhole(path: string, offset: number, length: number): Promise<LoadedRecord | undefined> {
  let raw: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      raw = Buffer.allocUnsafe(length);
      const { bytesRead } = await fh.read(raw, 0, length, offset);
      if (bytesRead !== length) return undefined;
    } finally {
      await fh.close();
    }
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  } catch {
    return undefined;
  }
  if (raw.subarray(0, 5).toString('latin1') !== 'WARC/') return undefined;
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const headers = new Map<string, string>();
  for (const line of raw.toString('utf8', 0, end).split('\r\n').slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  const cl = Number(headers.get('content-length'));
  const blockStart = end + 4;
  // Exactly one record: its block, then CRLF CRLF, then nothing (a plain file's length is the record's too).
  if (!Number.isSafeInteger(cl) || blockStart + cl + 4 !== raw.length) return undefined;
  const block = raw.subarray(blockStart, blockStart + cl);
  const type = headers.get('warc-type') ?? '';
  const hasHttp = type === 'response' || type === 'revisit';
  const head = hasHttp ? parseHttpHead(block) : undefined;
  let body = head ? block.subarray(head.length) : block;
  if (head && /chunked/i.test(httpHeader(head, 'Transfer-Encoding') ?? '')) body = dechunk(body);
  return { type, warcHeaders: { get: (name: string) => headers.get(name.toLowerCase()) }, head, body };
}

/** The payload with its content-encoding undone (for rewriting, text and diffs). */
export async function decodedBody(rec: Pick<LoadedRecord, 'head' | 'body'>, maxBytes = MAX_RECORD_BYTES): Promise<Buffer> {
  if (!rec.head) return rec.body;
  const d = await decodeContent(rec.body, httpHeader(rec.head, 'Content-Encoding'), maxBytes);
  return d.bytes;
}

/** The payload as text, in the charset the page declares or sniffs as (HTML rules). */
export function bodyText(bytes: Buffer, contentType: string | undefined): string {
  const decision = detectCharset(bytes, contentType ?? null);
  const dec = createDecoder(decision.charset);
  return dec.write(bytes.subarray(decision.bomLength)) + dec.end();
}

/** Content-Type of a loaded record's head. */
export function contentTypeOf(rec: LoadedRecord): string | undefined {
  return rec.head ? httpHeader(rec.head, 'Content-Type') : undefined;
}

export { httpPayload };
