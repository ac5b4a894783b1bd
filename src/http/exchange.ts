import type { BodySource } from './body.js';

/**
 * One HTTP request/response as it went over the wire: what the WARC writer archives
 * (a `request` and a `response` record) and what extraction reads. A redirect chain is a
 * list of exchanges, each archived.
 */
export interface HttpExchange {
  readonly url: string;
  readonly method: 'GET' | 'HEAD';
  /** Request line + headers exactly as sent, ending with the blank line (CRLFCRLF). */
  readonly requestHead: Buffer;
  readonly httpVersion: string;
  readonly statusCode: number;
  readonly statusText: string;
  /** Header pairs as received: original case and order, duplicates kept. */
  readonly rawHeaders: readonly (readonly [string, string])[];
  /** Status line + headers exactly as received (reconstructed from raw pairs), ending with CRLFCRLF. */
  readonly responseHead: Buffer;
  /** Body as received: transfer-encoding removed, content-encoding kept. */
  readonly body: BodySource;
  /** Why the body stopped early, or null when whole: 'length' (cap), 'time' (body timeout), 'disconnect'. */
  readonly truncated: 'length' | 'time' | 'disconnect' | null;
  readonly remoteAddress: string | undefined;
  /** Epoch ms when the request was sent. */
  readonly startedAt: number;
  readonly durationMs: number;
}

/** Case-insensitive first header value. */
export function headerValue(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return undefined;
}
