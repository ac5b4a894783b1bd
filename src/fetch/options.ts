import { is, resolveOptions, type Checks } from '../options/index.js';
import type { FetcherOptions } from './types.js';

/** What callers pass: the timeouts, cap and User-Agent are required, the rest has defaults. */
export type FetcherInit = Pick<FetcherOptions, 'userAgent' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'totalTimeoutMs' | 'maxBodyBytes'> &
  Partial<Omit<FetcherOptions, 'userAgent' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'totalTimeoutMs' | 'maxBodyBytes'>>;

const defaults: FetcherOptions = {
  userAgent: 'jarvix',
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  totalTimeoutMs: 60_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxDecodedBytes: 0, // replaced by 4 x maxBodyBytes when not given
  maxRedirects: 10,
  spillBytes: 4 * 1024 * 1024,
  tmpDir: undefined,
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
};

const ms = [is.int(1, 24 * 3600 * 1000), 'an integer of milliseconds from 1 to 86400000'] as const;
const checks: Checks<FetcherOptions> = {
  userAgent: [is.nonEmptyString, 'a non-empty string'],
  headersTimeoutMs: [...ms],
  bodyTimeoutMs: [...ms],
  totalTimeoutMs: [...ms],
  maxBodyBytes: [is.int(1, 2 ** 40), 'a positive integer'],
  maxDecodedBytes: [is.int(1, 2 ** 40), 'a positive integer'],
  maxRedirects: [is.int(0, 100), 'an integer from 0 to 100'],
  spillBytes: [is.int(0, 2 ** 40), 'a non-negative integer'],
  tmpDir: [is.optional(is.nonEmptyString), 'a directory path'],
  accept: [is.nonEmptyString, 'a non-empty string'],
};

export function resolveFetcherOptions(given: FetcherInit): FetcherOptions {
  const o = resolveOptions('fetch', defaults, checks, given);
  if (given.maxDecodedBytes === undefined) o.maxDecodedBytes = Math.min(4 * o.maxBodyBytes, 2 ** 40);
  return o;
}
