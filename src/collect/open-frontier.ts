import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from '../errors/index.js';
import { RedisClusterFrontier, RedisFrontier, SqliteFrontier } from '../frontier/index.js';
import type { Frontier } from '../frontier/types.js';
import type { RunPaths } from '../run/index.js';
import type { CollectOptions } from './options.js';
import { PatientFrontier } from './patient-frontier.js';
import { RedisRobotsStore } from './redis-robots-store.js';
import type { RobotsStore } from './robots-store.js';

export interface RunState {
  frontier: Frontier;
  /** Shared robots.txt answers (Redis runs); null: the process' own RobotsCache is enough. */
  robotsStore: RobotsStore | null;
  /** Where the run state lives, for messages: the state.sqlite path or the redacted Redis URL. */
  where: string;
}

/**
 * The run state of a collect: the run folder's state.sqlite (embedded default), or the run's keys
 * in Redis with `redis` set (scale-out). A Redis run's frontier is wrapped so an outage pauses the
 * worker instead of failing it; opening waits for Redis the same way.
 */
export async function openRunState(opts: CollectOptions, paths: RunPaths, log: (line: string) => void): Promise<RunState> {
  const defaultHostPolicy = { maxConcurrent: opts.perHostConcurrency, delayMs: opts.hostDelayMs };
  if (opts.redis === undefined) {
    return { frontier: SqliteFrontier.open({ path: paths.state, defaultHostPolicy }), robotsStore: null, where: paths.state };
  }
  const url = opts.redis;
  let paused = false;
  let inner: RedisFrontier | RedisClusterFrontier;
  for (;;) {
    try {
      const o = { url, run: opts.runId, defaultHostPolicy, unavailableTimeoutMs: opts.redisWaitMs, clientName: `jarvix:${opts.runId}:${opts.worker}` };
      inner = opts.redisCluster ? await RedisClusterFrontier.open(o) : await RedisFrontier.open(o);
      break;
    } catch (err) {
      if (errorCode(err) !== 'JVX_ERR_FRONTIER_REDIS_UNAVAILABLE') throw err;
      if (!paused) log(`Redis unavailable at ${(err as { endpoint?: string }).endpoint ?? 'the configured URL'}, waiting for it before starting; will resume`);
      paused = true;
      await sleep(500);
    }
  }
  if (paused) log('Redis is back, starting');
  return {
    frontier: new PatientFrontier(inner, { log }),
    robotsStore: new RedisRobotsStore({ url, run: opts.runId, ...(inner instanceof RedisClusterFrontier ? { shards: inner.shards } : {}) }),
    where: inner.run,
  };
}
