import { InvalidOptionError } from '../errors/index.js';
import { LruMap } from '../util/lru-map.js';
import { jarvixChannel } from '../channels/index.js';
import { is, resolveOptions, type Check } from '../options/index.js';
import { crawlDelayMs, isAllowed } from './match.js';
import { parseRobots, type ParsedRobots } from './parse.js';

export interface RobotsFetchResult {
  /** Final status after the fetcher's redirects (it follows up to 5), or null when no response came. */
  status: number | null;
  body: string | null;
  /** When no response came: the fetch error's code (JVX_ERR_FETCH_DNS, JVX_ERR_FETCH_TLS...). */
  error?: string;
  /** ...and its message (the underlying cause: ENOTFOUND, a TLS alert...). */
  errorMessage?: string;
}

export interface RobotsCacheOptions {
  /** Product token to obey, e.g. 'jarvix' (a full User-Agent is cut to its token). */
  userAgent: string;
  fetchRobots(origin: string): Promise<RobotsFetchResult>;
  /** How long a fetched robots.txt (or a 4xx "allow all") is trusted. RFC 9309 §2.4: at most 24 h. */
  ttlMs: number;
  /** How long a 5xx or unreachable robots.txt means "disallow all" before it is tried again. */
  unreachableTtlMs: number;
  /** LRU bound on cached origins, so a crawl over millions of hosts stays in bounded memory. */
  maxEntries: number;
  /** Clock, for tests of expiry. */
  now: () => number;
}

export interface RobotsVerdict {
  allowed: boolean;
  crawlDelayMs?: number;
  /** Why: 'robots.txt', '4xx: allow all', '5xx: disallow all', 'unreachable: disallow all'... */
  source: string;
  /**
   * When robots.txt could not be fetched at all: why (the same failure would meet the page itself),
   * so a caller reports the real cause, not "disallowed by robots.txt".
   */
  unreachable?: { code: string; message: string };
}

interface Entry {
  robots: ParsedRobots | null;
  /** For entries without a file: the whole-site answer. */
  allowAll: boolean;
  source: string;
  expiresAt: number;
  unreachable?: { code: string; message: string };
}

/**
 * `jarvix:robots:start` { id, url } and `jarvix:robots:decision` { id, url, allowed, source,
 * crawlDelayMs, durationMs }: one pair per check, paired by `id`, for observe/.
 */
const robotsStart = jarvixChannel('robotsStart');
const robotsDecision = jarvixChannel('robotsDecision');
let lastCheckId = 0;

const isFn = <F>(v: unknown): v is F => typeof v === 'function';

const DEFAULTS: Omit<RobotsCacheOptions, 'userAgent' | 'fetchRobots'> = {
  ttlMs: 24 * 3600_000,
  unreachableTtlMs: 10 * 60_000,
  maxEntries: 100_000,
  now: Date.now,
};

/**
 * robots.txt per origin (scheme, host, port: RFC 9309 §2.3), fetched once and shared by every
 * check of that origin, including checks that arrive while the fetch is running (single-flight).
 * Status rules (§2.3.1): 2xx = the file's rules; 3xx left after the fetcher's redirects and 4xx
 * = "unavailable", allow all; 5xx, 429 and network failures = "unreachable", disallow all for
 * unreachableTtlMs, then retried. 429 is treated as unreachable as Google does: the server is
 * asking us to slow down, not saying the file is missing.
 */
export class RobotsCache {
  readonly #opts: RobotsCacheOptions;
  readonly #entries: LruMap<string, Entry>;
  readonly #inflight = new Map<string, Promise<Entry>>();
  #fetches = 0;

  constructor(options: Partial<RobotsCacheOptions> & Pick<RobotsCacheOptions, 'userAgent' | 'fetchRobots'>) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('robots', 'an options object', options);
    this.#opts = resolveOptions<RobotsCacheOptions>('robots', { ...DEFAULTS, userAgent: '', fetchRobots: () => Promise.reject(new Error('unset')) }, {
      userAgent: [is.nonEmptyString, 'a product token such as "jarvix"'],
      fetchRobots: [isFn as Check<RobotsCacheOptions['fetchRobots']>, 'a function (origin) => Promise<{status, body}>'],
      ttlMs: [is.int(0), 'an integer >= 0'],
      unreachableTtlMs: [is.int(0), 'an integer >= 0'],
      maxEntries: [is.int(1), 'an integer >= 1'],
      now: [isFn as Check<() => number>, 'a function returning epoch ms'],
    }, options);
    if (this.#opts.userAgent === '') throw new InvalidOptionError('robots.userAgent', 'a product token such as "jarvix"', options.userAgent);
    this.#entries = new LruMap(this.#opts.maxEntries);
  }

  /** How many robots.txt fetches were started (each origin once per expiry). */
  get fetches(): number {
    return this.#fetches;
  }

  get size(): number {
    return this.#entries.size;
  }

  async check(url: string): Promise<RobotsVerdict> {
    if (!robotsStart.hasSubscribers && !robotsDecision.hasSubscribers) return this.#check(url);
    const id = ++lastCheckId;
    const startedAt = Date.now();
    robotsStart.publish({ id, url });
    const v = await this.#check(url);
    robotsDecision.publish({ id, url, allowed: v.allowed, source: v.source, crawlDelayMs: v.crawlDelayMs ?? null, durationMs: Date.now() - startedAt });
    return v;
  }

  async #check(url: string): Promise<RobotsVerdict> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { allowed: false, source: 'invalid url' };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { allowed: false, source: 'not http(s)' };
    // §2.2.2: the robots.txt URL is implicitly allowed (and checking it must not fetch it).
    if (parsed.pathname === '/robots.txt') return { allowed: true, source: 'robots.txt itself' };
    const entry = await this.#entry(parsed.origin);
    if (entry.robots === null) return { allowed: entry.allowAll, source: entry.source, ...(entry.unreachable ? { unreachable: entry.unreachable } : {}) };
    const delay = crawlDelayMs(entry.robots, this.#opts.userAgent);
    const allowed = isAllowed(entry.robots, this.#opts.userAgent, parsed.pathname + parsed.search);
    return delay === undefined ? { allowed, source: entry.source } : { allowed, crawlDelayMs: delay, source: entry.source };
  }

  async #entry(origin: string): Promise<Entry> {
    const now = this.#opts.now();
    const cached = this.#entries.get(origin);
    if (cached !== undefined && cached.expiresAt > now) {
      this.#entries.touch(origin);
      return cached;
    }
    let pending = this.#inflight.get(origin);
    if (pending === undefined) {
      pending = this.#load(origin).finally(() => this.#inflight.delete(origin));
      this.#inflight.set(origin, pending);
    }
    return pending;
  }

  async #load(origin: string): Promise<Entry> {
    this.#fetches++;
    let result: RobotsFetchResult;
    try {
      result = await this.#opts.fetchRobots(origin);
    } catch {
      // A failure of our own (the shared robots store...), not an answer about the site: no cause to pass on.
      result = { status: null, body: null };
    }
    const entry = this.#interpret(result, this.#opts.now());
    this.#entries.set(origin, entry);
    return entry;
  }

  #interpret(result: RobotsFetchResult, now: number): Entry {
    const { ttlMs, unreachableTtlMs } = this.#opts;
    const status = result.status;
    const whole = (allowAll: boolean, source: string, ttl: number): Entry => ({ robots: null, allowAll, source, expiresAt: now + ttl });
    if (status === null) {
      const entry = whole(false, `unreachable${result.error ? ` (${result.error})` : ''}: disallow all`, unreachableTtlMs);
      if (result.error) entry.unreachable = { code: result.error, message: result.errorMessage ?? result.error };
      return entry;
    }
    if (status >= 200 && status < 300) {
      if (result.body === null || result.body.trim() === '') return whole(true, 'robots.txt (empty): allow all', ttlMs);
      return { robots: parseRobots(result.body), allowAll: true, source: 'robots.txt', expiresAt: now + ttlMs };
    }
    if (status === 429) return whole(false, '429: disallow all', unreachableTtlMs);
    if (status >= 500) return whole(false, '5xx: disallow all', unreachableTtlMs);
    if (status >= 400) return whole(true, '4xx: allow all', ttlMs);
    if (status >= 300) return whole(true, '3xx (too many redirects): allow all', ttlMs);
    return whole(false, 'unreachable: disallow all', unreachableTtlMs);
  }
}
