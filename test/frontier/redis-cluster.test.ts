import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisClusterFrontier } from '../../src/frontier/redis-cluster-frontier.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../helpers/redis-cluster.js';
import { frontierConformance } from './conformance.js';
import { clusterInvariantViolations } from './redis-cluster-invariants.js';

const DEFAULT = { maxConcurrent: 1, delayMs: 0 };
const runId = (): string => `c-${randomUUID().slice(0, 8)}`;

describeWithRedisCluster('RedisClusterFrontier', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  // 8 shards keep each conformance test's setup short; the layout is the same for any count.
  frontierConformance('RedisClusterFrontier', async () => {
    const run = runId();
    const frontier = await RedisClusterFrontier.open({ url: cluster.url, run, defaultHostPolicy: DEFAULT, expectedUrls: 10_000, shards: 8 });
    return {
      frontier,
      cleanup: async () => {
        await frontier.close();
        expect(await clusterInvariantViolations(cluster.url, run, 8)).toEqual([]);
      },
    };
  });

  it('spreads a run’s shards evenly over the primaries, and its hosts with them', async () => {
    const run = runId();
    const f = await RedisClusterFrontier.open({ url: cluster.url, run, defaultHostPolicy: DEFAULT, expectedUrls: 10_000 });
    try {
      const primaries = (await cluster.nodes()).filter((n) => n.role === 'master');
      const owner = (slot: number): number => primaries.findIndex((p) => p.slots.some(([a, b]) => slot >= a && slot <= b));
      const perPrimary = primaries.map(() => 0);
      for (const slot of f.shards.slots) perPrimary[owner(slot)]!++;
      // 64 shards on thirds of the slot space: 21 or 22 each, one shard may straddle a boundary.
      expect(Math.max(...perPrimary) - Math.min(...perPrimary)).toBeLessThanOrEqual(2);
      expect(await f.add(Array.from({ length: 3_000 }, (_, i) => ({ url: `http://h${i}.test/`, depth: 0 })))).toBe(3_000);
      expect(await f.counts()).toEqual({ pending: 3_000, leased: 0, done: 0, total: 3_000 });
    } finally {
      await f.dropRun();
    }
  });

  it('refuses to open a single-Redis run as a cluster run', async () => {
    const run = runId();
    const f = await RedisClusterFrontier.open({ url: cluster.url, run, defaultHostPolicy: DEFAULT, shards: 4 });
    await expect(RedisClusterFrontier.open({ url: cluster.url, run, defaultHostPolicy: DEFAULT, shards: 8 })).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_CONFIG' });
    await f.dropRun();
  });
});
