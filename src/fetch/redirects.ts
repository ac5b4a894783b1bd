import { headerValue, type HttpExchange } from '../http/index.js';
import { errorCode, errorMessage } from '../errors/index.js';
import { fetchError } from './fetch-errors.js';
import type { HopOutcome } from './hop.js';
import type { FetchCallOptions, FetchError } from './types.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The absolute URL a redirect response points at (fragment dropped), or undefined if it is not one. */
export function redirectTarget(ex: HttpExchange): URL | undefined {
  if (!REDIRECT_STATUSES.has(ex.statusCode)) return undefined;
  const location = headerValue(ex.rawHeaders, 'location');
  if (location === undefined || location.trim() === '') return undefined;
  try {
    // Location is relative to the URL that answered (RFC 9110 §10.2.2).
    const target = new URL(location.trim(), ex.url);
    target.hash = '';
    // Credentials in a Location are neither sent nor recorded (url/normalize.ts).
    target.username = '';
    target.password = '';
    return target;
  } catch {
    return undefined;
  }
}

export interface RedirectRun {
  exchanges: HttpExchange[];
  /** Every URL requested, in order. */
  chain: string[];
  /** True when the last URL requested got a response head. */
  answered: boolean;
  error: FetchError | null;
}

/**
 * Follows 301/302/303/307/308 by hand so every hop is its own exchange (each is archived), asking
 * `beforeHop` before each new URL (policy and robots apply to redirect targets too). A URL seen
 * earlier in the chain is a loop, whatever the number of hops.
 */
export async function followRedirects(
  hop: (url: URL) => Promise<HopOutcome>,
  start: URL,
  o: { maxRedirects: number; beforeHop: FetchCallOptions['beforeHop'] },
): Promise<RedirectRun> {
  const run: RedirectRun = { exchanges: [], chain: [start.href], answered: false, error: null };
  const seen = new Set<string>([start.href]);
  let url = start;
  for (;;) {
    const outcome = await hop(url);
    if (outcome.kind === 'failed') {
      run.answered = false;
      run.error = outcome.error;
      return run;
    }
    run.answered = true;
    run.exchanges.push(outcome.exchange);
    if (outcome.error) {
      run.error = outcome.error;
      return run;
    }
    const target = redirectTarget(outcome.exchange);
    if (!target) return run;
    const stop = await refuse(target, run, seen, o);
    if (stop) {
      run.error = stop;
      return run;
    }
    seen.add(target.href);
    run.chain.push(target.href);
    url = target;
  }
}

async function refuse(target: URL, run: RedirectRun, seen: Set<string>, o: { maxRedirects: number; beforeHop: FetchCallOptions['beforeHop'] }): Promise<FetchError | null> {
  const from = run.chain.at(-1);
  if (run.exchanges.length > o.maxRedirects) {
    return fetchError('JVX_ERR_FETCH_TOO_MANY_REDIRECTS', `${run.chain[0]}: more than ${o.maxRedirects} redirects (next: ${target.href})`, false);
  }
  if (seen.has(target.href)) return fetchError('JVX_ERR_FETCH_REDIRECT_LOOP', `${from}: redirect loop back to ${target.href}`, false);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return fetchError('JVX_ERR_FETCH_UNSUPPORTED_SCHEME', `${from}: redirect to unsupported scheme ${target.protocol} (${target.href})`, false);
  }
  if (!o.beforeHop) return null;
  let verdict;
  try {
    verdict = await o.beforeHop(target.href);
  } catch (err) {
    verdict = { allowed: false as const, code: errorCode(err), reason: errorMessage(err) };
  }
  if (verdict.allowed) return null;
  return fetchError('JVX_ERR_FETCH_REDIRECT_REFUSED', `${from}: redirect to ${target.href} refused: ${verdict.reason} (${verdict.code})`, false, {
    refusedCode: verdict.code,
  });
}
