import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisClusterFrontier } from '../../src/frontier/redis-cluster-frontier.js';
import { hostShard } from '../../src/frontier/redis-cluster-layout.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../helpers/redis-cluster.js';
import { clusterInvariantViolations } from './redis-cluster-invariants.js';

const SHARDS = 4;

/**
 * Issue 17: a shard's slot moves to another primary, key by key (CLUSTER SETSLOT + MIGRATE, as
 * `redis-cli --cluster reshard` does), while two clients drain the run. Scripts on the moving
 * shard fail at their fence and are retried once the slot has settled; none runs on a half-moved
 * shard. Every URL is committed once, no host ever has two leases at a time, the layout's
 * invariants hold afterwards, and the shard's keys all live on the new primary.
 */
describeWithRedisCluster('RedisClusterFrontier during a slot migration', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('drains every URL once while a shard’s slot moves between primaries', async () => {
    const run = `m-${randomUUID().slice(0, 8)}`;
    const open = (): Promise<RedisClusterFrontier> =>
      RedisClusterFrontier.open({ url: cluster.url, run, defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 }, shards: SHARDS, expectedUrls: 10_000, unavailableTimeoutMs: 30_000 });
    const clients = [await open(), await open()];
    const hosts = Array.from({ length: 40 }, (_, i) => `h${i}.test`);
    const input = hosts.flatMap((h) => Array.from({ length: 30 }, (_, i) => ({ url: `http://${h}/p${i}`, depth: 0 })));
    expect(await clients[0]!.add(input)).toBe(input.length);

    // The shard to move: the one with the most hosts.
    const perShard = Array.from({ length: SHARDS }, (_, s) => hosts.filter((h) => hostShard(h, SHARDS) === s).length);
    const shard = perShard.indexOf(Math.max(...perShard));
    const slot = clients[0]!.shards.slots[shard]!;
    const masters = (await cluster.nodes()).filter((n) => n.role === 'master');
    const src = masters.find((m) => m.slots.some(([a, b]) => slot >= a && slot <= b))!;
    const dst = masters.find((m) => m !== src)!;

    const committed = new Set<string>();
    const inFlight = new Map<string, number>();
    let stop = false;
    const drain = async (f: RedisClusterFrontier, worker: string): Promise<void> => {
      let seq = 0;
      while (!stop) {
        const now = Date.now();
        const ls = await f.lease(8, { now, leaseMs: 600_000, worker });
        if (ls.length === 0) {
          if ((await f.nextReadyAt()) === undefined) return;
          await new Promise((r) => setTimeout(r, 2));
          continue;
        }
        for (const l of ls) {
          const n = (inFlight.get(l.host) ?? 0) + 1;
          inFlight.set(l.host, n);
          expect(n, l.host).toBe(1);
        }
        await new Promise((r) => setTimeout(r, 1));
        for (const l of ls) {
          inFlight.set(l.host, inFlight.get(l.host)! - 1);
          await f.releaseHost(l.host, Date.now(), l.slot);
        }
        const res = await f.commit(ls.map((l) => l.id), { seq: ++seq, worker, at: now, shards: [], warcs: [], counts: {} });
        expect(res.duplicates).toEqual([]);
        for (const l of ls) {
          expect(committed.has(l.id)).toBe(false);
          committed.add(l.id);
        }
      }
    };

    const migrate = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 100)); // let the drain get going first
      const s = new Redis(src.port, '127.0.0.1');
      const d = new Redis(dst.port, '127.0.0.1');
      try {
        await d.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', src.id);
        await s.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', dst.id);
        let moved = 0;
        for (;;) {
          const keys = (await s.call('CLUSTER', 'GETKEYSINSLOT', slot, 10)) as string[];
          if (keys.length === 0) break;
          await s.call('MIGRATE', '127.0.0.1', dst.port, '', 0, 5_000, 'KEYS', ...keys);
          moved += keys.length;
          await new Promise((r) => setTimeout(r, 3)); // the clients run between batches
        }
        expect(moved).toBeGreaterThan(50);
        for (const m of masters) {
          const c = new Redis(m.port, '127.0.0.1');
          await c.call('CLUSTER', 'SETSLOT', slot, 'NODE', dst.id);
          c.disconnect();
        }
      } finally {
        s.disconnect();
        d.disconnect();
      }
    };

    const done = Promise.all(clients.map((f, i) => drain(f, `w${i}`)));
    await migrate();
    await done.finally(() => {
      stop = true;
    });
    expect(committed.size).toBe(input.length);
    expect(await clients[1]!.counts()).toEqual({ pending: 0, leased: 0, done: input.length, total: input.length });
    const owner = new Redis(dst.port, '127.0.0.1');
    expect(Number(await owner.call('CLUSTER', 'COUNTKEYSINSLOT', slot))).toBeGreaterThan(0);
    owner.disconnect();
    expect(await clusterInvariantViolations(cluster.url, run, SHARDS)).toEqual([]);
    await Promise.all(clients.map((f) => f.close()));
  }, 60_000);
});
