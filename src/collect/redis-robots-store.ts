import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { RobotsFetchResult } from '../robots/index.js';
import type { RobotsStore } from './robots-store.js';

/**
 * robots.txt answers shared through the run's Redis: `jvx:{run}:rb:<origin>` holds the answer as
 * JSON with a TTL (at most 512 KiB, the robots fetch cap), `jvx:{run}:rl:<origin>` is the fetch
 * lock (SET NX PX). The frontier's outage policy is not needed here: with no offline queue a call
 * fails at once while Redis is away, and sharedFetchRobots then fetches locally.
 */
export class RedisRobotsStore implements RobotsStore {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #token = `${process.pid}-${Math.random().toString(36).slice(2)}`;

  constructor(options: { url: string; run: string; tls?: ConnectionOptions }) {
    const tls = options.tls ?? (options.url.startsWith('rediss:') ? {} : undefined);
    this.#client = new Redis(options.url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5_000,
      commandTimeout: 5_000,
      retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
      connectionName: `jarvix:${options.run}:robots`,
      ...(tls === undefined ? {} : { tls }),
    });
    // Errors surface on each call; without a listener ioredis would print them.
    this.#client.on('error', () => {});
    this.#prefix = `jvx:{${options.run}}:`;
  }

  async get(origin: string): Promise<RobotsFetchResult | undefined> {
    const json = await this.#client.get(`${this.#prefix}rb:${origin}`);
    if (json === null) return undefined;
    const v = JSON.parse(json) as RobotsFetchResult;
    return v;
  }

  async set(origin: string, result: RobotsFetchResult, ttlMs: number): Promise<void> {
    const value: RobotsFetchResult = { status: result.status, body: result.body };
    if (result.error !== undefined) value.error = result.error;
    if (result.errorMessage !== undefined) value.errorMessage = result.errorMessage;
    await this.#client.set(`${this.#prefix}rb:${origin}`, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async lock(origin: string, holdMs: number): Promise<boolean> {
    return (await this.#client.set(`${this.#prefix}rl:${origin}`, this.#token, 'PX', Math.max(1, Math.round(holdMs)), 'NX')) === 'OK';
  }

  async unlock(origin: string): Promise<void> {
    // Only our own lock: after holdMs another worker may hold it.
    await this.#client.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, `${this.#prefix}rl:${origin}`, this.#token);
  }

  async close(): Promise<void> {
    try {
      if (this.#client.status === 'ready') await this.#client.quit();
    } catch {
      // Closing anyway.
    }
    this.#client.disconnect();
  }
}
