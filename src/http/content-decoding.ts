import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Transform } from 'node:stream';
import { JarvixError } from '../errors/index.js';

export class ContentDecodingError extends JarvixError {
  readonly encoding: string;
  constructor(encoding: string, cause: unknown) {
    super('JVX_ERR_HTTP_CONTENT_DECODING', `cannot decode ${encoding} body: ${(cause as Error)?.message ?? cause}`, { cause });
    this.encoding = encoding;
  }
}

export class UnsupportedEncodingError extends JarvixError {
  readonly encoding: string;
  constructor(encoding: string) {
    super('JVX_ERR_HTTP_UNSUPPORTED_ENCODING', `unsupported content-encoding ${JSON.stringify(encoding)}`);
    this.encoding = encoding;
  }
}

export interface DecodedBody {
  readonly bytes: Buffer;
  /** True when decoding stopped at `maxDecodedBytes` (compression bomb or just huge). */
  readonly truncated: boolean;
  /** Encodings undone, outermost first. */
  readonly encodings: readonly string[];
}

function decoderFor(encoding: string): Transform | undefined {
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(flush);
    case 'deflate':
      return createInflate(flush);
    case 'br':
      return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}

/** Parses `Content-Encoding: gzip, br` into the list of codings to undo, last applied first. */
export function parseContentEncoding(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity')
    .reverse();
}

/**
 * Undoes content-encodings with a hard cap on output bytes, so a gzip bomb costs at most
 * `maxDecodedBytes` of memory. A `deflate` body that is really raw deflate (a common server bug)
 * is retried as raw.
 */
export async function decodeContent(
  chunks: AsyncIterable<Buffer> | Buffer,
  contentEncoding: string | undefined,
  maxDecodedBytes: number,
): Promise<DecodedBody> {
  const encodings = parseContentEncoding(contentEncoding);
  let input: Buffer;
  if (Buffer.isBuffer(chunks)) input = chunks;
  else {
    const parts: Buffer[] = [];
    let total = 0;
    for await (const c of chunks) {
      parts.push(c);
      total += c.length;
    }
    input = Buffer.concat(parts, total);
  }
  let truncated = false;
  for (const enc of encodings) {
    if (!decoderFor(enc)) throw new UnsupportedEncodingError(enc);
  }
  for (const enc of encodings) {
    try {
      const out = await runDecoder(decoderFor(enc)!, input, maxDecodedBytes);
      input = out.bytes;
      truncated ||= out.truncated;
    } catch (err) {
      if (enc === 'deflate') {
        const out = await runDecoder(createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH }), input, maxDecodedBytes).catch(() => {
          throw new ContentDecodingError(enc, err);
        });
        input = out.bytes;
        truncated ||= out.truncated;
      } else {
        throw new ContentDecodingError(enc, err);
      }
    }
  }
  if (input.length > maxDecodedBytes) {
    input = input.subarray(0, maxDecodedBytes);
    truncated = true;
  }
  return { bytes: input, truncated, encodings };
}

function runDecoder(decoder: Transform, input: Buffer, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (truncated: boolean): void => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(parts, Math.min(total, maxBytes)), truncated });
    };
    decoder.on('data', (chunk: Buffer) => {
      if (done) return;
      if (total + chunk.length > maxBytes) {
        parts.push(chunk.subarray(0, maxBytes - total));
        total = maxBytes;
        finish(true);
        decoder.destroy();
        return;
      }
      parts.push(chunk);
      total += chunk.length;
    });
    decoder.on('end', () => finish(false));
    decoder.on('error', (err) => {
      if (done) return;
      // A truncated stream that still produced output: keep what we have (lenient, like browsers).
      if (total > 0 && /unexpected end|incomplete/i.test(err.message)) return finish(false);
      done = true;
      reject(err);
    });
    decoder.end(input);
  });
}
