import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import { hostShard, type ShardLayout } from '../frontier/index.js';
import { clusterSeed } from '../frontier/redis-connection.js';
import { hostKey } from '../url/index.js';
import type { RobotsFetchResult } from '../robots/index.js';
import type { RobotsStore } from './robots-store.js';

/**
 * robots.txt answers shared through the run's Redis: `jvx:{run}:rb:<origin>` holds the answer as
 * JSON with a TTL (at most 512 KiB, the robots fetch cap), `jvx:{run}:rl:<origin>` is the fetch
 * lock (SET NX PX). On a Redis Cluster (`shards` given) they live in the shard of the origin's host,
 * `jvx:{<run>:<shard>:<salt>}:rb:<origin>`, beside the host's queue. The frontier's outage policy is not needed here: with no offline queue a call
 * fails at once while Redis is away, and sharedFetchRobots then fetches locally.
 */
export class RedisRobotsStore implements RobotsStore {
  readonly #client: Redis | Cluster;
  readonly #prefix: string;
  readonly #shards: ShardLayout | undefined;
  readonly #token = `${process.pid}-${Math.random().toString(36).slice(2)}`;

  constructor(options: { url: string; run: string; tls?: ConnectionOptions; shards?: ShardLayout }) {
    const tls = options.tls ?? (options.url.startsWith('rediss:') ? {} : undefined);
    this.#shards = options.shards;
    const node = {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5_000,
      commandTimeout: 5_000,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1_000),
      connectionName: `jarvix:${options.run}:robots`,
      ...(tls === undefined ? {} : { tls }),
    };
    if (options.shards === undefined) this.#client = new Redis(options.url, node);
    else {
      const { seed, auth } = clusterSeed(options.url);
      this.#client = new Cluster([seed], { enableOfflineQueue: false, scaleReads: 'master', redisOptions: { ...node, ...auth } });
    }
    // Errors surface on each call; without a listener ioredis would print them.
    this.#client.on('error', () => {});
    this.#prefix = `jvx:{${options.run}}:`;
  }

  #key(kind: 'rb' | 'rl', origin: string): string {
    if (this.#shards === undefined) return `${this.#prefix}${kind}:${origin}`;
    return `${this.#shards.prefixes[hostShard(hostKey(origin), this.#shards.shards)]!}${kind}:${origin}`;
  }

  async get(origin: string): Promise<RobotsFetchResult | undefined> {
    const json = await this.#client.get(this.#key('rb', origin));
    if (json === null) return undefined;
    const v = JSON.parse(json) as RobotsFetchResult;
    return v;
  }

  async set(origin: string, result: RobotsFetchResult, ttlMs: number): Promise<void> {
    const value: RobotsFetchResult = { status: result.status, body: result.body };
    if (result.error !== undefined) value.error = result.error;
    if (result.errorMessage !== undefined) value.errorMessage = result.errorMessage;
    await this.#client.set(this.#key('rb', origin), JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async lock(origin: string, holdMs: number): Promise<boolean> {
    return (await this.#client.set(this.#key('rl', origin), this.#token, 'PX', Math.max(1, Math.round(holdMs)), 'NX')) === 'OK';
  }

  async unlock(origin: string): Promise<void> {
    // Only our own lock: after holdMs another worker may hold it.
    await this.#client.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, this.#key('rl', origin), this.#token);
  }

  async close(): Promise<void> {
    try {
      // Bounded: a Cluster's QUIT waits on every node, and a failed-over primary never answers.
      if (this.#client.status === 'ready') await Promise.race([this.#client.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    } catch {
      // Closing anyway.
    }
    this.#client.disconnect();
  }
}
