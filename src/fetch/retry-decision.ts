import { InvalidOptionError } from '../errors/index.js';
import { fetchChannels } from './channels.js';
import type { FetchResult } from './types.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Whether to fetch again and after how long. Only retryable errors qualify (5xx, 429, timeouts,
 * resets): a 404 is an answer. The wait is exponential backoff with full jitter (uniform in
 * [0, min(max, base·2^(n-1))], so many clients do not retry in step), except that a server's
 * Retry-After on 429/503 is obeyed, capped at maxDelayMs. `random` is injectable for tests.
 */
export function retryDecision(
  result: FetchResult,
  attemptNumber: number,
  o: RetryPolicy,
  random: () => number = Math.random,
): { retry: boolean; delayMs: number } {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) throw new InvalidOptionError('attemptNumber', 'an integer >= 1', attemptNumber);
  if (!Number.isInteger(o.maxAttempts) || o.maxAttempts < 1) throw new InvalidOptionError('retry.maxAttempts', 'an integer >= 1', o.maxAttempts);
  if (!(o.baseDelayMs >= 0)) throw new InvalidOptionError('retry.baseDelayMs', 'a number >= 0', o.baseDelayMs);
  if (!(o.maxDelayMs >= 0)) throw new InvalidOptionError('retry.maxDelayMs', 'a number >= 0', o.maxDelayMs);
  const error = result.error;
  if (!error || !error.retryable || attemptNumber >= o.maxAttempts) return { retry: false, delayMs: 0 };
  let delayMs: number;
  if (error.retryAfterMs !== undefined && (result.status === 429 || result.status === 503)) {
    delayMs = Math.min(error.retryAfterMs, o.maxDelayMs);
  } else {
    const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(attemptNumber - 1, 52));
    delayMs = Math.floor(random() * ceiling);
  }
  if (fetchChannels.retry.hasSubscribers) {
    fetchChannels.retry.publish({ url: result.url, attempt: attemptNumber, delayMs, errorCode: error.code });
  }
  return { retry: true, delayMs };
}
