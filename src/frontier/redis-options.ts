import type { ConnectionOptions } from 'node:tls';
import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Check } from '../options/index.js';
import type { DedupMode } from './redis-dedup.js';
import type { HostPolicy } from './types.js';

export interface RedisFrontierOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS. */
  url: string;
  /** The run id (letters, digits, `-`, `_`): every key of the run starts with `jvx:{<run>}:`. */
  run: string;
  /**
   * Policy of hosts without their own. Run-wide: stored in Redis, and the last worker to open the
   * run sets it for all (as reopening an SQLite run with another default does).
   */
  defaultHostPolicy: HostPolicy;
  /**
   * Dedup layout, used when this open creates the run; a run that exists keeps its own. Given
   * explicitly and different from the run's, open fails (JVX_ERR_FRONTIER_REDIS_CONFIG).
   * Default 'exact'. See redis-dedup.ts for the memory each costs.
   */
  dedup?: DedupMode;
  /** URLs the run is sized for (dedup buckets, Bloom bits). Default 10 million. */
  expectedUrls?: number;
  /** Bloom only: false-positive rate at `expectedUrls`. Default 0.001. */
  falsePositiveRate?: number;
  /** How long a call waits for an unreachable Redis before JVX_ERR_FRONTIER_REDIS_UNAVAILABLE. Default 30 s. */
  unavailableTimeoutMs?: number;
  /** Extra TLS options for `rediss://` (a private CA, a server name). */
  tls?: ConnectionOptions;
  /** Client name shown by CLIENT LIST, e.g. the worker id. Default `jarvix:<run>`. */
  clientName?: string;
}

export type ResolvedRedisFrontierOptions = Required<Omit<RedisFrontierOptions, 'tls' | 'clientName'>> & Pick<RedisFrontierOptions, 'tls' | 'clientName'>;

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

const isPolicy: Check<HostPolicy> = (v): v is HostPolicy => {
  const p = v as HostPolicy | null | undefined;
  return typeof p === 'object' && p !== null && Number.isInteger(p.maxConcurrent) && p.maxConcurrent >= 1 && Number.isFinite(p.delayMs) && p.delayMs >= 0;
};

const DEFAULTS: ResolvedRedisFrontierOptions = {
  url: '',
  run: '',
  defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 },
  dedup: 'exact',
  expectedUrls: 10_000_000,
  falsePositiveRate: 0.001,
  unavailableTimeoutMs: 30_000,
  tls: undefined,
  clientName: undefined,
};

const REQUIRED: readonly [keyof RedisFrontierOptions, string][] = [
  ['url', 'a redis:// or rediss:// URL'],
  ['run', 'a run id (letters, digits, -, _)'],
  ['defaultHostPolicy', '{ maxConcurrent, delayMs }'],
];

export function resolveRedisOptions(given: RedisFrontierOptions): ResolvedRedisFrontierOptions {
  const o = resolveOptions<ResolvedRedisFrontierOptions>('RedisFrontier', DEFAULTS, {
    url: [(v): v is string => typeof v === 'string' && /^rediss?:\/\//.test(v), 'a redis:// or rediss:// URL'],
    run: [(v): v is string => typeof v === 'string' && RUN_ID.test(v), 'a run id (letters, digits, -, _)'],
    defaultHostPolicy: [isPolicy, '{ maxConcurrent: integer >= 1, delayMs: number >= 0 }'],
    dedup: [is.oneOf('exact', 'bloom'), "'exact' or 'bloom'"],
    expectedUrls: [is.int(1, 2 ** 40), 'an integer >= 1'],
    falsePositiveRate: [(v): v is number => typeof v === 'number' && v > 0 && v < 0.5, 'a rate > 0 and < 0.5'],
    unavailableTimeoutMs: [is.int(1, 24 * 3_600_000), 'an integer >= 1 (ms)'],
    tls: [(v): v is ConnectionOptions | undefined => v === undefined || (typeof v === 'object' && v !== null), 'tls.ConnectionOptions'],
    clientName: [is.optional((v): v is string => typeof v === 'string' && /^[!-~]+$/.test(v)), 'a name without spaces'],
  }, given);
  // Required ones have placeholder defaults that must not pass.
  for (const [key, expected] of REQUIRED) {
    if (given?.[key] === undefined) throw new InvalidOptionError(`RedisFrontier.${key}`, expected, undefined);
  }
  return o;
}

