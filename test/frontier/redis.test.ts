import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisFrontier } from '../../src/frontier/redis-frontier.js';
import type { FrontierAdd, LeasedUrl } from '../../src/frontier/types.js';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { frontierConformance } from './conformance.js';
import { redisInvariantViolations } from './redis-invariants.js';

const DEFAULT = { maxConcurrent: 1, delayMs: 0 };
const runId = (): string => `t-${randomUUID().slice(0, 8)}`;

describeWithRedis('RedisFrontier', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  frontierConformance('RedisFrontier', async () => {
    const run = runId();
    const frontier = await RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: DEFAULT, expectedUrls: 10_000 });
    return {
      frontier,
      cleanup: async () => {
        await frontier.close();
        // Every conformance test must also leave the run's counters, queues and slots exact.
        expect(await redisInvariantViolations(server.url(), run)).toEqual([]);
      },
    };
  });

  it('two workers racing on one run never exceed a host’s maxConcurrent nor hold one URL twice', async () => {
    const run = runId();
    const open = (): Promise<RedisFrontier> => RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: DEFAULT, expectedUrls: 10_000 });
    const workers = [await open(), await open()];
    try {
      const hosts = Array.from({ length: 12 }, (_, i) => `h${i}.test`);
      const limit = (h: string): number => (h === 'h0.test' ? 3 : h === 'h1.test' ? 2 : 1);
      const input: FrontierAdd[] = hosts.flatMap((h) => Array.from({ length: 25 }, (_, i) => ({ url: `http://${h}/p${i}`, depth: 0, priority: i % 3 })));
      // Both workers seed the same input at the same time: every URL enters once.
      const added = await Promise.all(workers.map((w) => w.add(input)));
      expect(added[0]! + added[1]!).toBe(input.length);
      await workers[0]!.setHostPolicy('h0.test', { maxConcurrent: 3, delayMs: 0 });
      await workers[1]!.setHostPolicy('h1.test', { maxConcurrent: 2, delayMs: 0 });

      const held = new Set<string>();
      const committed = new Set<string>();
      const inFlight = new Map<string, number>();
      const peak = new Map<string, number>();
      const leasedBy = [0, 0];
      let now = 1_000_000;
      const seqs = [0, 0, 0, 0, 0, 0, 0, 0];
      const loop = async (w: number, lane: number): Promise<void> => {
        const f = workers[w]!;
        const worker = `w${w}-${lane}`;
        for (let idle = 0; idle < 200 && committed.size < input.length; ) {
          const ls: LeasedUrl[] = await f.lease(1 + ((lane + idle) % 4), { now: now++, leaseMs: 600_000, worker });
          if (ls.length === 0) {
            idle++;
            await new Promise((r) => setTimeout(r, 1));
            continue;
          }
          leasedBy[w]! += ls.length;
          for (const l of ls) {
            expect(held.has(l.id)).toBe(false);
            held.add(l.id);
            const n = (inFlight.get(l.host) ?? 0) + 1;
            inFlight.set(l.host, n);
            peak.set(l.host, Math.max(peak.get(l.host) ?? 0, n));
            expect(n).toBeLessThanOrEqual(limit(l.host));
          }
          await new Promise((r) => setTimeout(r, lane % 2)); // the "fetch"
          const done: string[] = [];
          for (const l of ls) {
            inFlight.set(l.host, inFlight.get(l.host)! - 1);
            held.delete(l.id);
            if (l.attempts === 0 && Number(l.id) % 5 === 0) await f.retry(l.id, now);
            else done.push(l.id);
            await f.releaseHost(l.host, now, l.slot);
          }
          const res = await f.commit(done, { seq: ++seqs[w * 4 + lane]!, worker, at: now, shards: [], warcs: [], counts: {} });
          expect(res.duplicates).toEqual([]);
          for (const id of done) {
            expect(committed.has(id)).toBe(false);
            committed.add(id);
          }
        }
      };
      await Promise.all([0, 1].flatMap((w) => [0, 1, 2, 3].map((lane) => loop(w, lane))));
      expect(committed.size).toBe(input.length);
      expect(await workers[0]!.counts()).toEqual({ pending: 0, leased: 0, done: input.length, total: input.length });
      expect(leasedBy[0]).toBeGreaterThan(0);
      expect(leasedBy[1]).toBeGreaterThan(0);
      expect(peak.get('h0.test')).toBeGreaterThan(1); // the race really ran several requests to one host at once
      expect(await redisInvariantViolations(server.url(), run)).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  });
  it('seeds idempotently and dedups exactly across workers and reopen', async () => {
    const run = runId();
    const a = await RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: DEFAULT, expectedUrls: 1_000 });
    const urls = Array.from({ length: 1_200 }, (_, i) => ({ url: `http://h${i % 7}.test/p${i}`, depth: 0 }));
    expect(await a.add(urls)).toBe(1_200); // more than one add chunk
    await a.close();
    const b = await RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: DEFAULT });
    expect(b.dedup).toMatchObject({ mode: 'exact', expectedUrls: 1_000 }); // the run's layout, not b's defaults
    expect(await b.add([...urls, { url: 'http://h0.test/new', depth: 1 }])).toBe(1);
    expect(await b.counts()).toEqual({ pending: 1_201, leased: 0, done: 0, total: 1_201 });
    await b.dropRun();
  });

  it('a commit resent after a lost reply gets the first answer and changes nothing', async () => {
    const f = await RedisFrontier.open({ url: server.url(), run: runId(), defaultHostPolicy: DEFAULT, expectedUrls: 100 });
    try {
      await f.add([{ url: 'http://a.test/1', depth: 0 }, { url: 'http://b.test/1', depth: 0 }]);
      const [x, y] = await f.lease(2, { now: 1, leaseMs: 1_000, worker: 'w' });
      await f.commit([x!.id], { seq: 1, worker: 'w2', at: 1, shards: [], warcs: [], counts: {} });
      const cp = { seq: 1, worker: 'w', at: 2, shards: ['s'], warcs: [], counts: {} };
      const first = await f.commit([x!.id, y!.id], cp);
      expect(first).toEqual({ duplicates: [x!.id] });
      expect(await f.commit([x!.id, y!.id], cp)).toEqual(first);
      expect(await f.counts()).toEqual({ pending: 0, leased: 0, done: 2, total: 2 });
      expect((await f.checkpoints()).filter((c) => c.worker === 'w')).toHaveLength(1);
      // Same seq with other ids is not a resend.
      await expect(f.commit([y!.id], cp)).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_CHECKPOINT_ORDER' });
    } finally {
      await f.dropRun();
    }
  });

  it('a worker joining with another default maxConcurrent applies it to queued hosts', async () => {
    const run = runId();
    const a = await RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: DEFAULT, expectedUrls: 100 });
    await a.add([1, 2, 3].map((i) => ({ url: `http://a.test/${i}`, depth: 0 })));
    expect(await a.lease(5, { now: 1, leaseMs: 1_000, worker: 'w' })).toHaveLength(1);
    const b = await RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: { maxConcurrent: 3, delayMs: 50 } });
    expect(await b.lease(5, { now: 1, leaseMs: 1_000, worker: 'w' })).toHaveLength(2);
    expect(await a.getHostPolicy('other.test')).toEqual({ maxConcurrent: 3, delayMs: 50 }); // run-wide
    expect(await redisInvariantViolations(server.url(), run)).toEqual([]);
    await a.close();
    await b.dropRun();
  });

  it('rejects bad options, bad arguments and calls after close with codes', async () => {
    const url = server.url();
    await expect(RedisFrontier.open({ url: 'http://x', run: 'r', defaultHostPolicy: DEFAULT })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'RedisFrontier.url' });
    await expect(RedisFrontier.open({ url, run: 'a b', defaultHostPolicy: DEFAULT })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'RedisFrontier.run' });
    await expect(RedisFrontier.open({ url, run: 'r' } as never)).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'RedisFrontier.defaultHostPolicy' });
    await expect(RedisFrontier.open({ url, run: 'r', defaultHostPolicy: DEFAULT, bogus: 1 } as never)).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_UNKNOWN' });
    const run = runId();
    const f = await RedisFrontier.open({ url, run, defaultHostPolicy: DEFAULT, expectedUrls: 100 });
    await expect(f.add([{ url: 'http://ok.test/', depth: 0 }, { url: 'not a url', depth: 0 }])).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_BAD_ADD' });
    expect((await f.counts()).total).toBe(0); // a bad item fails its whole batch
    await expect(f.lease(1.5, { now: 0, leaseMs: 1, worker: 'w' })).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_BAD_ARGUMENT' });
    await expect(f.releaseHost('a.test', 0, 'slot?')).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_BAD_ARGUMENT' });
    await expect(f.retry('abc', 0)).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_UNKNOWN_ID' });
    await expect(f.commit(['12'], { seq: 1, worker: 'w', at: 0, shards: [], warcs: [], counts: {} })).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_UNKNOWN_ID', id: '12' });
    // A run keeps the dedup layout it was created with.
    await expect(RedisFrontier.open({ url, run, defaultHostPolicy: DEFAULT, dedup: 'bloom' })).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_CONFIG' });
    await f.close();
    await expect(f.counts()).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_CLOSED' });
  });

  it('refuses a server that may evict keys', async () => {
    const admin = new Redis(server.url());
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await expect(RedisFrontier.open({ url: server.url(), run: runId(), defaultHostPolicy: DEFAULT })).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_CONFIG' });
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
    }
  });

  it('rejects with JVX_ERR_FRONTIER_REDIS_UNAVAILABLE when nothing answers, after the bounded wait', async () => {
    const dead = await startRedisServer();
    const url = dead.url();
    await dead.stop();
    await expect(RedisFrontier.open({ url, run: runId(), defaultHostPolicy: DEFAULT, unavailableTimeoutMs: 300 })).rejects.toMatchObject({
      code: 'JVX_ERR_FRONTIER_REDIS_UNAVAILABLE', retryable: true,
    });
  });
});

describeWithRedis('RedisFrontier with a password', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ args: ['--requirepass', 's3cret'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('works with redis://:password@host:port/db and keeps its keys in that db', async () => {
    const run = runId();
    const f = await RedisFrontier.open({ url: server.url({ password: 's3cret', db: 3 }), run, defaultHostPolicy: DEFAULT, expectedUrls: 100 });
    try {
      await f.add([{ url: 'http://a.test/', depth: 0 }]);
      expect(await f.lease(5, { now: 1, leaseMs: 1_000, worker: 'w' })).toHaveLength(1);
      const admin = new Redis(server.url({ password: 's3cret', db: 3 }));
      expect(await admin.exists(`jvx:{${run}}:n`)).toBe(1);
      admin.disconnect();
    } finally {
      await f.dropRun();
    }
  });

  it('fails fast with JVX_ERR_FRONTIER_REDIS_AUTH on a wrong password, without echoing it', async () => {
    const err = await RedisFrontier.open({ url: server.url({ password: 'wrong-pw' }), run: runId(), defaultHostPolicy: DEFAULT, unavailableTimeoutMs: 20_000 })
      .then(() => undefined, (e: unknown) => e as Error & { code: string; endpoint: string });
    expect(err).toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_AUTH', retryable: false });
    expect(`${err!.message} ${err!.endpoint}`).not.toContain('wrong-pw');
  });
});
