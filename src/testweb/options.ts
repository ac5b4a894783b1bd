import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Check, type Checks } from '../options/index.js';
import { isLoopbackAddress } from '../net/address-guard.js';

export const FAULT_KINDS = [
  'http500',
  'http429',
  'http503',
  'reset',
  'hang',
  'slowDrip',
  'hugeBody',
  'gzipBomb',
  'redirectChain',
  'redirectLoop',
  'badCharset',
  'invalidUtf8',
  'malformedHtml',
  'wrongContentLength',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRates = Record<FaultKind, number>;

/** Faults that hit only the first K requests of a URL, so a retry can succeed. */
export const TRANSIENT_FAULTS: ReadonlySet<FaultKind> = new Set(['http500', 'http429', 'http503', 'reset', 'hang']);

export const ROBOTS_VARIANTS = ['allowAll', 'disallow', 'crawlDelay', 'malformed', 'notFound', 'serverError', 'timeout'] as const;
export type RobotsVariant = (typeof ROBOTS_VARIANTS)[number];
/** Rates of every variant but allowAll, which takes what is left. */
export type RobotsRates = Record<Exclude<RobotsVariant, 'allowAll'>, number>;

export interface LatencyOptions {
  kind: 'lognormal' | 'fixed' | 'none';
  /** Median time to first byte (lognormal) or the exact delay (fixed). */
  medianMs: number;
  /** Spread of the log-normal: 0.8 gives p99 about 6x the median. */
  sigma: number;
  /** Cap on one planned delay, so the heavy tail stays finite. */
  maxMs: number;
}

export interface TestWebOptions {
  seed: number;
  hosts: number;
  pagesPerHost: number;
  port: number;
  host: string;
  latency: LatencyOptions;
  /** One rate spread evenly over all fault kinds, or a rate per kind (missing kinds are 0). */
  faults: number | Partial<FaultRates>;
  robots: Partial<RobotsRates>;
  /** How many requests of a URL a transient fault hits before the URL serves normally. */
  transientFaultCount: number;
  /** Retry-After seconds sent with 429 and 503. */
  retryAfterSeconds: number;
  /** Crawl-delay seconds in robots.txt of crawlDelay hosts. */
  crawlDelaySeconds: number;
  /** Size of a hugeBody response. */
  hugeBodyBytes: number;
  /** Decoded size of a gzip bomb. */
  gzipBombBytes: number;
  /** Delay between the chunks of a slow-drip body. */
  slowDripChunkDelayMs: number;
  /** Per-request detail kept in the record; counters continue beyond. */
  maxRecordedRequests: number;
  /** Bytes of generated bodies kept in an LRU cache (0 = no cache). */
  cacheBytes: number;
  /** HTML pages link a stylesheet, script, images, icon and font under /static/ (src/testweb/requisites.ts). */
  requisites: boolean;
}

/** What callers pass: every field optional, latency fields one by one too. */
export type TestWebInput = Partial<Omit<TestWebOptions, 'latency'>> & { latency?: Partial<LatencyOptions> };

export interface ResolvedTestWebOptions extends Omit<TestWebOptions, 'faults' | 'robots' | 'latency'> {
  latency: LatencyOptions;
  faults: FaultRates;
  robots: RobotsRates;
}

const defaultRobots: RobotsRates = { disallow: 0.15, crawlDelay: 0.1, malformed: 0.05, notFound: 0.1, serverError: 0.03, timeout: 0.02 };

export const defaultTestWebOptions: TestWebOptions = {
  seed: 1,
  hosts: 100,
  pagesPerHost: 1000,
  port: 0,
  host: '127.0.0.1',
  latency: { kind: 'lognormal', medianMs: 100, sigma: 0.8, maxMs: 10_000 },
  faults: 0.05,
  robots: defaultRobots,
  transientFaultCount: 1,
  retryAfterSeconds: 1,
  crawlDelaySeconds: 1,
  hugeBodyBytes: 512 * 1024 * 1024,
  gzipBombBytes: 1024 * 1024 * 1024,
  slowDripChunkDelayMs: 200,
  maxRecordedRequests: 2_000_000,
  cacheBytes: 32 * 1024 * 1024,
  requisites: false,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const rate = is.number(0, 1);

const checks: Checks<TestWebOptions> = {
  seed: [is.int(0, 2 ** 32 - 1), 'an integer from 0 to 2^32-1'],
  hosts: [is.int(1, 10_000), 'an integer from 1 to 10000'],
  pagesPerHost: [is.int(1, 100_000), 'an integer from 1 to 100000'],
  port: [is.int(0, 65_535), 'a port from 0 to 65535 (0 = ephemeral)'],
  // The synthetic web is for this machine only: it serves anything to anyone who connects.
  host: [((v: unknown) => typeof v === 'string' && (v === 'localhost' || isLoopbackAddress(v))) as Check<string>, 'a loopback address such as 127.0.0.1 or ::1'],
  latency: [isObject as unknown as Check<LatencyOptions>, 'an object {kind, medianMs, sigma, maxMs}'],
  faults: [((v: unknown) => rate(v) || isObject(v)) as Check<number | Partial<FaultRates>>, 'a rate from 0 to 1 or an object of per-kind rates'],
  robots: [isObject as unknown as Check<Partial<RobotsRates>>, 'an object of robots variant rates'],
  transientFaultCount: [is.int(0, 1000), 'an integer from 0 to 1000'],
  retryAfterSeconds: [is.int(0, 3600), 'an integer from 0 to 3600'],
  crawlDelaySeconds: [is.number(0, 3600), 'a number from 0 to 3600'],
  hugeBodyBytes: [is.int(1, 2 ** 40), 'a byte count'],
  gzipBombBytes: [is.int(1, 2 ** 40), 'a byte count'],
  slowDripChunkDelayMs: [is.int(0, 60_000), 'an integer from 0 to 60000'],
  maxRecordedRequests: [is.int(0, 100_000_000), 'an integer from 0 to 1e8'],
  cacheBytes: [is.int(0, 2 ** 32), 'a byte count'],
  requisites: [is.boolean, 'true or false'],
};

function resolveRates<K extends string>(scope: string, keys: readonly K[], given: Record<string, unknown>): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  resolveOptions(scope, out, Object.fromEntries(keys.map((k) => [k, [rate, 'a rate from 0 to 1']])) as never, given as never);
  let total = 0;
  for (const k of keys) {
    const v = given[k];
    out[k] = typeof v === 'number' ? v : 0;
    total += out[k];
  }
  if (total > 1 + 1e-9) throw new InvalidOptionError(scope, 'rates summing to at most 1', total);
  return out;
}

export function resolveTestWebOptions(given: TestWebInput | undefined): ResolvedTestWebOptions {
  const opts = resolveOptions('testweb', defaultTestWebOptions, checks, given as Partial<TestWebOptions> | undefined);
  const latency = resolveOptions(
    'testweb.latency',
    defaultTestWebOptions.latency,
    {
      kind: [is.oneOf('lognormal', 'fixed', 'none'), "'lognormal', 'fixed' or 'none'"],
      medianMs: [is.number(0, 600_000), 'a number of ms from 0 to 600000'],
      sigma: [is.number(0, 5), 'a number from 0 to 5'],
      maxMs: [is.number(0, 600_000), 'a number of ms from 0 to 600000'],
    },
    given?.latency,
  );
  const faults: FaultRates =
    typeof opts.faults === 'number'
      ? (Object.fromEntries(FAULT_KINDS.map((k) => [k, (opts.faults as number) / FAULT_KINDS.length])) as FaultRates)
      : resolveRates('testweb.faults', FAULT_KINDS, opts.faults);
  const robotKeys = ROBOTS_VARIANTS.filter((v): v is Exclude<RobotsVariant, 'allowAll'> => v !== 'allowAll');
  const robots = resolveRates('testweb.robots', robotKeys, given?.robots === undefined ? defaultRobots : opts.robots);
  return { ...opts, latency, faults, robots };
}
