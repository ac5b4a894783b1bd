import type { HttpExchange } from '../http/index.js';

/** Why a fetch did not end with a usable answer. `code` is stable (`JVX_ERR_*`); policy reads `retryable`. */
export interface FetchError {
  code: string;
  message: string;
  retryable: boolean;
  /** Server-requested wait (Retry-After on 429/503), already converted to milliseconds. */
  retryAfterMs?: number;
  /** For JVX_ERR_FETCH_REDIRECT_REFUSED: the code `beforeHop` gave (e.g. JVX_ERR_ROBOTS_DISALLOWED). */
  refusedCode?: string;
}

export type Truncation = 'length' | 'time' | 'disconnect';

export interface FetchResult {
  url: string;
  /** URL of the last request made (the last entry of redirectChain). */
  finalUrl: string;
  /** Status of the last hop, null when the last hop got no answer. */
  status: number | null;
  contentType: string | null;
  /** One per answered hop, in order; the caller archives each and calls `ex.body.dispose()`. */
  exchanges: HttpExchange[];
  /** Every URL requested, in order, `url` first. */
  redirectChain: string[];
  error: FetchError | null;
  /** Truncation of the final body. */
  truncated: Truncation | null;
  startedAt: number;
  durationMs: number;
  /** The final body with content-encodings undone, capped at maxDecodedBytes; null when there is no body. */
  decodeBody(): Promise<{ bytes: Buffer; truncated: boolean } | null>;
}

export type HopVerdict = { allowed: true } | { allowed: false; code: string; reason: string };

export interface FetchCallOptions {
  /** Asked before following a redirect to a new URL (the first URL is the caller's business). */
  beforeHop?(url: string): Promise<HopVerdict>;
  method?: 'GET' | 'HEAD';
}

export interface Fetcher {
  fetch(url: string, options?: FetchCallOptions): Promise<FetchResult>;
}

export interface FetcherOptions {
  userAgent: string;
  /** Wait for the response head, per hop. */
  headersTimeoutMs: number;
  /** Longest silence between two body chunks, per hop. */
  bodyTimeoutMs: number;
  /** Whole fetch, all hops included; also stops a slow-drip body. */
  totalTimeoutMs: number;
  /** Stop reading a body past this many bytes (as received); the rest is dropped, truncated='length'. */
  maxBodyBytes: number;
  /** Cap on the content-decoded body (compression bombs). */
  maxDecodedBytes: number;
  maxRedirects: number;
  /** Bodies larger than this go to a temp file instead of memory. */
  spillBytes: number;
  tmpDir: string | undefined;
  /** Sent as Accept. */
  accept: string;
}
