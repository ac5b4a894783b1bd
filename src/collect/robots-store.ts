import { setTimeout as sleep } from 'node:timers/promises';
import { LruMap } from '../util/lru-map.js';
import type { RobotsFetchResult } from '../robots/index.js';

/**
 * Where fetched robots.txt answers are kept for other workers: one small entry per origin with a
 * TTL, plus a short fetch lock so that of many workers asking at once only one fetches. The
 * per-process RobotsCache (src/robots) still parses and caches; this only shares the raw answer.
 */
export interface RobotsStore {
  get(origin: string): Promise<RobotsFetchResult | undefined>;
  set(origin: string, result: RobotsFetchResult, ttlMs: number): Promise<void>;
  /** True when this caller may fetch the origin now; the lock ends by itself after `holdMs`. */
  lock(origin: string, holdMs: number): Promise<boolean>;
  unlock(origin: string): Promise<void>;
  close(): Promise<void>;
}

/** RFC 9309 §2.4: a file (or a 4xx "allow all") is trusted up to 24 h; failures are retried sooner. */
export const ROBOTS_TTL_MS = 24 * 3600_000;
export const ROBOTS_UNREACHABLE_TTL_MS = 10 * 60_000;

/** Same split as RobotsCache: only 2xx-4xx answers are kept for long. */
export function robotsTtlMs(result: RobotsFetchResult): number {
  const s = result.status;
  return s !== null && s >= 200 && s < 500 && s !== 429 ? ROBOTS_TTL_MS : ROBOTS_UNREACHABLE_TTL_MS;
}

/** One process's store: bounded, oldest entries dropped first. The default without Redis. */
export class MemoryRobotsStore implements RobotsStore {
  readonly #entries: LruMap<string, { result: RobotsFetchResult; expiresAt: number }>;
  readonly #locks = new Map<string, number>();

  constructor(maxEntries = 10_000) {
    this.#entries = new LruMap(maxEntries);
  }

  get(origin: string): Promise<RobotsFetchResult | undefined> {
    const e = this.#entries.get(origin);
    if (e === undefined || e.expiresAt <= Date.now()) return Promise.resolve(undefined);
    return Promise.resolve(e.result);
  }
  set(origin: string, result: RobotsFetchResult, ttlMs: number): Promise<void> {
    this.#entries.set(origin, { result, expiresAt: Date.now() + ttlMs });
    return Promise.resolve();
  }
  lock(origin: string, holdMs: number): Promise<boolean> {
    const until = this.#locks.get(origin);
    if (until !== undefined && until > Date.now()) return Promise.resolve(false);
    this.#locks.set(origin, Date.now() + holdMs);
    return Promise.resolve(true);
  }
  unlock(origin: string): Promise<void> {
    this.#locks.delete(origin);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface SharedRobotsOptions {
  /** Upper bound of one fetch (robots timeout plus redirects): the lock is held this long at most. */
  holdMs: number;
  /** How often a worker that lost the lock looks for the winner's answer. */
  pollMs?: number;
  /** A store failure (Redis away): the caller fetches by itself rather than wait. */
  onStoreError?: (err: unknown) => void;
}

/**
 * Wraps a `fetchRobots` (RobotsCache's option) so the answer is fetched once per origin for all
 * workers: a stored answer is used as is; otherwise the lock holder fetches and stores it while the
 * others poll the store. A store that fails never blocks a page: the worker fetches robots.txt
 * itself (a second request to that host at worst, still inside its politeness slot).
 */
export function sharedFetchRobots(
  store: RobotsStore,
  fetchRobots: (origin: string) => Promise<RobotsFetchResult>,
  options: SharedRobotsOptions,
): (origin: string) => Promise<RobotsFetchResult> {
  const pollMs = options.pollMs ?? 100;
  const guard = async <T>(op: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      options.onStoreError?.(err);
      return fallback;
    }
  };
  return async (origin) => {
    const deadline = Date.now() + options.holdMs + pollMs;
    for (;;) {
      const stored = await guard(() => store.get(origin), undefined);
      if (stored !== undefined) return stored;
      if (Date.now() >= deadline || (await guard(() => store.lock(origin, options.holdMs), true))) break;
      await sleep(pollMs);
    }
    try {
      const result = await fetchRobots(origin);
      await guard(() => store.set(origin, result, robotsTtlMs(result)), undefined);
      return result;
    } finally {
      await guard(() => store.unlock(origin), undefined);
    }
  };
}
