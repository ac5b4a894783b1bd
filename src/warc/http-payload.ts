import { decodeContent } from '../http/content-decoding.js';
import { httpHeader, parseHttpHead, type HttpHead } from './http-head.js';

/**
 * Undoes chunked transfer coding leniently, as warcio does: a body that does not start with a
 * chunk-size line is returned as it is (writers that already de-chunked but kept the header).
 */
export function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let p = 0;
  for (;;) {
    const nl = body.indexOf('\r\n', p);
    if (nl < 0) return parts.length === 0 ? body : Buffer.concat(parts);
    const size = parseInt(body.toString('latin1', p, nl).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0 || nl + 2 + size > body.length) return parts.length === 0 ? body : Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(nl + 2, nl + 2 + size));
    p = nl + 2 + size + 2;
  }
}

/** The HTTP head and decoded payload (de-chunked, content-decoded up to `maxBytes`) of a response block. */
export async function httpPayload(block: Buffer, maxBytes = 256 * 1024 * 1024): Promise<{ head: HttpHead | undefined; payload: Buffer; truncated: boolean }> {
  const head = parseHttpHead(block);
  if (!head) return { head, payload: block, truncated: false };
  let body = block.subarray(head.length);
  if (/chunked/i.test(httpHeader(head, 'Transfer-Encoding') ?? '')) body = dechunk(body);
  const decoded = await decodeContent(body, httpHeader(head, 'Content-Encoding'), maxBytes);
  return { head, payload: decoded.bytes, truncated: decoded.truncated };
}
