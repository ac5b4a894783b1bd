import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../errors/index.js';
import { resolveOptions, is, type Checks } from '../options/index.js';
import type { ResolveRule } from '../net/index.js';
import { defaultWorkerId } from './worker-id.js';
import { DEFAULT_BLOCKED_PATHS } from '../policy/index.js';

/** Everything `collect` can be told. CLI flags map 1:1 onto these (docs/design.md, "Command line"). */
export interface CollectOptions {
  /** Data directory holding runs/. */
  dataDir: string;
  runId: string;
  /** Input path or '-' for stdin; undefined when resuming without new input. */
  input: string | undefined;
  /** Ceiling of concurrent fetches (`--concurrent`); the autoscaler stays at or below it. */
  maxConcurrency: number;
  minConcurrency: number;
  /** Follow links found on pages (turns a list into a crawl). */
  follow: boolean;
  /** Link hops from a seed when following. */
  maxDepth: number;
  /** Also fetch each HTML page's embedded resources (CSS, scripts, images, fonts), as `wget -p`. */
  pageRequisites: boolean;
  scope: 'host' | 'domain' | 'any';
  allowDomains: string[];
  denyDomains: string[];
  allowPatterns: string[];
  denyPatterns: string[];
  /** Path prefixes never requested (default: the account paths, src/policy/blocked-paths.ts). */
  blockedPaths: string[];
  /** Requests in flight per host at once. */
  perHostConcurrency: number;
  /** Minimum gap between two requests to one host, ms; robots Crawl-delay raises it. */
  hostDelayMs: number;
  /** Crawl-delay values above this are capped. */
  maxCrawlDelayMs: number;
  respectRobots: boolean;
  /** Timeout for fetching a robots.txt (capped by timeoutMs). */
  robotsTimeoutMs: number;
  userAgent: string | undefined;
  contactUrl: string | undefined;
  resolve: ResolveRule[];
  allowPrivate: boolean;
  timeoutMs: number;
  maxBodyBytes: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** A checkpoint is taken after this many finished URLs... */
  checkpointEveryRecords: number;
  /** ...or this many ms, whichever comes first. */
  checkpointIntervalMs: number;
  leaseMs: number;
  /** Run extraction, chunking and scoring on worker threads while collecting. */
  extract: boolean;
  extractThreads: number;
  /**
   * Worker id: names this process's WARC files and Parquet shards and its leases. With `redis` the
   * default is `<hostname>-<pid>` (unique per process); pass a stable id to resume a crashed worker.
   */
  worker: string;
  /** `redis://…` or `rediss://…`: share the crawl through Redis (scale-out) instead of state.sqlite. */
  redis: string | undefined;
  /** `redis` is one seed node of a Redis Cluster: the run is sharded by host over its primaries. */
  redisCluster: boolean;
  /** How long a call waits for an unreachable Redis before the collector reports a pause (and keeps waiting). */
  redisWaitMs: number;
  /** How often this worker returns expired leases of dead workers to the queue (Redis runs). */
  recoverIntervalMs: number;
  /** Progress output: 'auto' (bar on a TTY, lines otherwise), 'bar', 'lines', 'none'. */
  progress: 'auto' | 'bar' | 'lines' | 'none';
  progressIntervalMs: number;
  /** Start over: move the run folder's old files into `.old-<time>/` first (docs/collect.md). */
  fresh: boolean;
  /** Before collecting, re-queue the URLs whose rows or archive records are missing or unreadable (docs/check.md). */
  repair: boolean;
}

export const collectDefaults: CollectOptions = {
  dataDir: './data',
  runId: '',
  input: undefined,
  maxConcurrency: 256,
  minConcurrency: 4,
  follow: false,
  maxDepth: 1,
  pageRequisites: false,
  scope: 'host',
  allowDomains: [],
  denyDomains: [],
  allowPatterns: [],
  denyPatterns: [],
  blockedPaths: [...DEFAULT_BLOCKED_PATHS],
  perHostConcurrency: 1,
  hostDelayMs: 250,
  maxCrawlDelayMs: 30_000,
  respectRobots: true,
  robotsTimeoutMs: 5_000,
  userAgent: undefined,
  contactUrl: undefined,
  resolve: [],
  allowPrivate: false,
  timeoutMs: 30_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxAttempts: 3,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
  checkpointEveryRecords: 1_000,
  checkpointIntervalMs: 5_000,
  leaseMs: 10 * 60_000,
  extract: true,
  extractThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
  worker: 'w0',
  redis: undefined,
  redisCluster: false,
  redisWaitMs: 5_000,
  recoverIntervalMs: 5_000,
  progress: 'auto',
  progressIntervalMs: 5_000,
  fresh: false,
  repair: false,
};

const checks: Checks<CollectOptions> = {
  dataDir: [is.nonEmptyString, 'a directory path'],
  runId: [(v): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(v), "a run id of letters, digits, '-' and '_'"],
  input: [is.optional(is.nonEmptyString), "a file path or '-'"],
  maxConcurrency: [is.int(1, 10_000), 'an integer from 1 to 10000'],
  minConcurrency: [is.int(1, 10_000), 'an integer from 1 to 10000'],
  follow: [is.boolean, 'a boolean'],
  pageRequisites: [is.boolean, 'a boolean'],
  maxDepth: [is.int(0, 1000), 'an integer from 0 to 1000'],
  scope: [is.oneOf('host', 'domain', 'any'), "'host', 'domain' or 'any'"],
  allowDomains: [is.stringArray, 'a list of domains'],
  denyDomains: [is.stringArray, 'a list of domains'],
  allowPatterns: [is.stringArray, 'a list of patterns'],
  denyPatterns: [is.stringArray, 'a list of patterns'],
  blockedPaths: [is.stringArray, 'a list of path prefixes such as /login'],
  perHostConcurrency: [is.int(1, 64), 'an integer from 1 to 64'],
  hostDelayMs: [is.int(0, 600_000), 'an integer from 0 to 600000'],
  maxCrawlDelayMs: [is.int(0, 3_600_000), 'an integer from 0 to 3600000'],
  respectRobots: [is.boolean, 'a boolean'],
  robotsTimeoutMs: [is.int(1, 600_000), 'an integer from 1 to 600000'],
  userAgent: [is.optional(is.nonEmptyString), 'a non-empty string'],
  contactUrl: [is.optional(is.nonEmptyString), 'a URL'],
  resolve: [(v): v is ResolveRule[] => Array.isArray(v), 'a list of resolve rules'],
  allowPrivate: [is.boolean, 'a boolean'],
  timeoutMs: [is.int(1, 3_600_000), 'an integer from 1 to 3600000'],
  maxBodyBytes: [is.int(1, 2 ** 40), 'a positive integer'],
  maxAttempts: [is.int(1, 100), 'an integer from 1 to 100'],
  retryBaseDelayMs: [is.int(0, 3_600_000), 'an integer from 0 to 3600000'],
  retryMaxDelayMs: [is.int(0, 3_600_000), 'an integer from 0 to 3600000'],
  checkpointEveryRecords: [is.int(1, 10_000_000), 'a positive integer'],
  checkpointIntervalMs: [is.int(10, 3_600_000), 'an integer from 10 to 3600000'],
  leaseMs: [is.int(1_000, 24 * 3_600_000), 'an integer from 1000 to 86400000'],
  extract: [is.boolean, 'a boolean'],
  extractThreads: [is.int(1, 256), 'an integer from 1 to 256'],
  worker: [(v): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v), "a worker id of letters, digits, '-' and '_'"],
  redis: [is.optional((v): v is string => typeof v === 'string' && /^rediss?:\/\/./.test(v)), 'a redis:// or rediss:// URL'],
  redisWaitMs: [is.int(100, 3_600_000), 'an integer from 100 to 3600000'],
  redisCluster: [(v): v is boolean => typeof v === 'boolean', 'true or false'],
  recoverIntervalMs: [is.int(100, 3_600_000), 'an integer from 100 to 3600000'],
  progress: [is.oneOf('auto', 'bar', 'lines', 'none'), "'auto', 'bar', 'lines' or 'none'"],
  progressIntervalMs: [is.int(100, 3_600_000), 'an integer from 100 to 3600000'],
  fresh: [is.boolean, 'a boolean'],
  repair: [is.boolean, 'a boolean'],
};

export function resolveCollectOptions(given: Partial<CollectOptions>): CollectOptions {
  // Several processes share a Redis run: each needs its own id unless told one (see worker-id.ts).
  const defaults = given.redis !== undefined && given.worker === undefined ? { ...collectDefaults, worker: defaultWorkerId() } : collectDefaults;
  const opts = resolveOptions('collect', defaults, checks, given);
  if (opts.runId === '') throw new InvalidOptionError('collect.runId', 'a run id', opts.runId);
  opts.minConcurrency = Math.min(opts.minConcurrency, opts.maxConcurrency);
  return opts;
}
