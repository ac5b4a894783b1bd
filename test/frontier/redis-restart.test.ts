import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { RedisFrontier } from '../../src/frontier/redis-frontier.js';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/tmp.js';
import { redisInvariantViolations } from './redis-invariants.js';

describeWithRedis('RedisFrontier across a Redis crash', () => {
  it('kill -9 of redis-server (AOF, fsync always) loses nothing committed; calls wait it out, or fail with a code', async () => {
    const tmp = await tempDir('jarvix-redis-aof-');
    const server = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', tmp.dir] });
    const run = `t-${randomUUID().slice(0, 8)}`;
    const open = (unavailableTimeoutMs: number): Promise<RedisFrontier> =>
      RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: { maxConcurrent: 2, delayMs: 0 }, expectedUrls: 1_000, unavailableTimeoutMs });
    const patient = await open(30_000);
    const impatient = await open(300);
    try {
      const urls = Array.from({ length: 300 }, (_, i) => ({ url: `http://h${i % 10}.test/p${i}`, depth: i % 3, priority: i % 4 }));
      expect(await patient.add(urls)).toBe(300);
      let now = 1_000_000;
      let seq = 0;
      while ((await patient.counts()).done < 150) {
        const ls = await patient.lease(20, { now, leaseMs: 600_000, worker: 'w' });
        for (const l of ls) await patient.releaseHost(l.host, now, l.slot);
        await patient.commit(ls.map((l) => l.id), { seq: ++seq, worker: 'w', at: now, shards: [`pages/w-${seq}.parquet`], warcs: [], counts: { fetched: seq } });
        now += 10;
      }
      const inFlight = await patient.lease(10, { now, leaseMs: 600_000, worker: 'w' });
      await patient.retry(inFlight[0]!.id, now + 50);
      const before = await patient.counts();
      const checkpoints = await patient.checkpoints();
      expect(before.leased).toBe(inFlight.length - 1);

      await server.kill();
      await expect(impatient.counts()).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_UNAVAILABLE', retryable: true });
      const during = patient.counts(); // asked during the outage: waits for Redis, then answers
      await new Promise((r) => setTimeout(r, 300));
      await server.restart();
      expect(await during).toEqual(before);
      expect(await impatient.counts()).toEqual(before); // the same client works again after the outage
      expect(await patient.checkpoints()).toEqual(checkpoints);
      expect(await patient.add(urls)).toBe(0); // dedup survived
      expect(await redisInvariantViolations(server.url(), run)).toEqual([]);

      // Finish the run: the in-flight leases come back for the resuming worker, nothing is lost or doubled.
      expect(await patient.recover({ now, worker: 'w' })).toBe(inFlight.length - 1);
      for (const l of inFlight) await patient.releaseHost(l.host, now, l.slot);
      const seen = new Set<string>();
      now += 1_000;
      for (;;) {
        const ls = await patient.lease(50, { now, leaseMs: 600_000, worker: 'w' });
        if (ls.length === 0) break;
        for (const l of ls) {
          expect(seen.has(l.id)).toBe(false);
          seen.add(l.id);
          await patient.releaseHost(l.host, now, l.slot);
        }
        expect(await patient.commit(ls.map((l) => l.id), { seq: ++seq, worker: 'w', at: now, shards: [], warcs: [], counts: {} })).toEqual({ duplicates: [] });
        now++;
      }
      expect(seen.size).toBe(before.pending + before.leased);
      expect(await patient.counts()).toEqual({ pending: 0, leased: 0, done: 300, total: 300 });
      expect(await redisInvariantViolations(server.url(), run)).toEqual([]);
    } finally {
      await impatient.close();
      await patient.close();
      await server.stop();
      await tmp.cleanup();
    }
  });

  it('a Redis that comes back empty fails every call with JVX_ERR_FRONTIER_REDIS_LOST instead of reading as done', async () => {
    const server = await startRedisServer(); // no persistence
    const f = await RedisFrontier.open({ url: server.url(), run: 'lost', defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 }, expectedUrls: 100 });
    try {
      await f.add([{ url: 'http://a.test/', depth: 0 }]);
      await server.restart();
      await expect(f.counts()).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_LOST', retryable: false });
      await expect(f.nextReadyAt()).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_LOST' });
      await expect(f.add([{ url: 'http://a.test/', depth: 0 }])).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_LOST' });
      await expect(f.lease(1, { now: 1, leaseMs: 1, worker: 'w' })).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_LOST' });
    } finally {
      await f.close();
      await server.stop();
    }
  });
});
