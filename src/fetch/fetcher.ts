import { decodeContent, headerValue, type HttpExchange } from '../http/index.js';
import type { JarvixAgent } from '../net/index.js';
import { fetchChannels } from './channels.js';
import { fetchError } from './fetch-errors.js';
import { createHop, type Hop } from './hop.js';
import { resolveFetcherOptions, type FetcherInit } from './options.js';
import { followRedirects } from './redirects.js';
import { parseRetryAfter } from './retry-after.js';
import type { FetchCallOptions, Fetcher, FetcherOptions, FetchError, FetchResult } from './types.js';

/** Only codings decodeBody can undo: advertising others would get bodies we cannot read. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Pairs a fetch's start, hop and end messages for subscribers (observe/ keys its spans on it). */
let lastFetchId = 0;

/**
 * The fetch path, composed: total deadline → redirects (each hop archived, `beforeHop` asked) →
 * one hop on the keep-alive agent (raw heads, capped body) → status classification. Retrying is
 * the caller's: `retryDecision` says whether and when, so every retry waits its turn at the host.
 */
export function createFetcher(agent: JarvixAgent, init: FetcherInit): Fetcher {
  const o = resolveFetcherOptions(init);
  const hop = createHop(agent);
  return { fetch: (url, call = {}) => fetchUrl(hop, o, url, call) };
}

async function fetchUrl(hop: Hop, o: FetcherOptions, url: string, call: FetchCallOptions): Promise<FetchResult> {
  const startedAt = Date.now();
  const method = call.method ?? 'GET';
  const id = ++lastFetchId;
  if (fetchChannels.start.hasSubscribers) fetchChannels.start.publish({ id, url, method });
  let start: URL | undefined;
  try {
    start = new URL(url);
  } catch {
    return finish(o, id, url, startedAt, { exchanges: [], chain: [url], answered: false, error: fetchError('JVX_ERR_FETCH_INVALID_URL', `not a URL: ${url}`, false) });
  }
  if (start.protocol !== 'http:' && start.protocol !== 'https:') {
    return finish(o, id, url, startedAt, { exchanges: [], chain: [url], answered: false, error: fetchError('JVX_ERR_FETCH_UNSUPPORTED_SCHEME', `unsupported scheme ${start.protocol} (${url})`, false) });
  }
  start.hash = '';
  // No Authorization from a URL, and no credentials in the WARC-Target-URI (url/normalize.ts).
  start.username = '';
  start.password = '';
  const headers: [string, string][] = [
    ['user-agent', o.userAgent],
    ['accept', o.accept],
    ['accept-encoding', ACCEPT_ENCODING],
  ];
  const deadline = startedAt + o.totalTimeoutMs;
  const run = await followRedirects(
    (u) =>
      hop({
        url: u,
        method,
        headers,
        headersTimeoutMs: o.headersTimeoutMs,
        bodyTimeoutMs: o.bodyTimeoutMs,
        deadline,
        maxBodyBytes: o.maxBodyBytes,
        spillBytes: o.spillBytes,
        tmpDir: o.tmpDir,
      }),
    start,
    { maxRedirects: o.maxRedirects, beforeHop: call.beforeHop },
  );
  return finish(o, id, url, startedAt, run);
}

/** 5xx and 429 are answers to archive but failures to retry; any other status is the answer. */
function statusError(ex: HttpExchange): FetchError | null {
  const status = ex.statusCode;
  if (status !== 429 && status < 500) return null;
  const retryAfterMs =
    status === 429 || status === 503
      ? parseRetryAfter(headerValue(ex.rawHeaders, 'retry-after'), Date.now(), headerValue(ex.rawHeaders, 'date'))
      : undefined;
  const code = status === 429 ? 'JVX_ERR_HTTP_429' : 'JVX_ERR_HTTP_5XX';
  const err = fetchError(code, `${ex.url}: HTTP ${status} ${ex.statusText}`.trimEnd(), true);
  if (retryAfterMs !== undefined) err.retryAfterMs = retryAfterMs;
  return err;
}

function finish(
  o: FetcherOptions,
  id: number,
  url: string,
  startedAt: number,
  run: { exchanges: HttpExchange[]; chain: string[]; answered: boolean; error: FetchError | null },
): FetchResult {
  const last = run.answered ? run.exchanges.at(-1) : undefined;
  const error = run.error ?? (last ? statusError(last) : null);
  const durationMs = Date.now() - startedAt;
  const result: FetchResult = {
    url,
    finalUrl: run.chain.at(-1) ?? url,
    status: last?.statusCode ?? null,
    contentType: last ? (headerValue(last.rawHeaders, 'content-type') ?? null) : null,
    exchanges: run.exchanges,
    redirectChain: run.chain,
    error,
    truncated: last?.truncated ?? null,
    startedAt,
    durationMs,
    decodeBody: async () => {
      if (!last || last.body.length === 0) return null;
      const decoded = await decodeContent(last.body.chunks(), headerValue(last.rawHeaders, 'content-encoding'), o.maxDecodedBytes);
      return { bytes: decoded.bytes, truncated: decoded.truncated };
    },
  };
  if (fetchChannels.hop.hasSubscribers) {
    for (const ex of run.exchanges) {
      fetchChannels.hop.publish({ id, url: ex.url, status: ex.statusCode, durationMs: ex.durationMs, bytes: ex.body.length, truncated: ex.truncated });
    }
  }
  if (fetchChannels.end.hasSubscribers) {
    fetchChannels.end.publish({
      id,
      url,
      finalUrl: result.finalUrl,
      status: result.status,
      errorCode: error?.code ?? null,
      durationMs,
      hops: run.exchanges.length,
      truncated: result.truncated,
    });
  }
  return result;
}
