import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointRecord, Frontier, LeasedUrl } from '../../src/frontier/types.js';

/**
 * The Frontier contract (src/frontier/types.ts), run against every implementation (SQLite now,
 * Redis in issue 8). `make` must return an empty frontier whose default host policy is
 * { maxConcurrent: 1, delayMs: 0 }. Time is passed explicitly (`now`), never read from a clock.
 */
export function frontierConformance(name: string, make: () => Promise<{ frontier: Frontier; cleanup(): Promise<void> }>): void {
  describe(`Frontier conformance: ${name}`, () => {
    let f: Frontier;
    let cleanup: () => Promise<void>;
    const T = 1_000_000;
    const W = 'w1';
    const lease = (max: number, now = T, worker = W, leaseMs = 60_000): Promise<LeasedUrl[]> => f.lease(max, { now, leaseMs, worker });
    const cp = (seq: number, worker = W, extra: Partial<CheckpointRecord> = {}): CheckpointRecord => ({
      seq, worker, at: T + seq, shards: [`pages/${worker}-${seq}.parquet`], warcs: [{ file: `${worker}.warc.gz`, length: seq * 100 }], counts: { fetched: seq }, ...extra,
    });
    const urls = (host: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ url: `http://${host}/p${from + i}`, depth: 0 }));

    beforeEach(async () => {
      ({ frontier: f, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('add', () => {
      it('dedups exactly and is idempotent', async () => {
        expect(await f.add([...urls('a.test', 3), { url: 'http://a.test/p0', depth: 1 }])).toBe(3);
        expect(await f.add(urls('a.test', 3))).toBe(0);
        expect(await f.add(urls('a.test', 4))).toBe(1);
        expect(await f.counts()).toEqual({ pending: 4, leased: 0, done: 0, total: 4 });
      });

      it('returns 0 for an empty batch', async () => {
        expect(await f.add([])).toBe(0);
        expect((await f.counts()).total).toBe(0);
      });

      it('keeps depth and starts attempts at 0', async () => {
        await f.add([{ url: 'http://a.test/deep', depth: 3 }]);
        const [l] = await lease(1);
        expect(l).toMatchObject({ url: 'http://a.test/deep', host: 'a.test', depth: 3, attempts: 0, leaseUntil: T + 60_000 });
        expect(typeof l!.id).toBe('string');
        expect(typeof l!.slot).toBe('string');
      });

      it('keys politeness by lowercase hostname, ignoring the port', async () => {
        await f.add([{ url: 'http://a.test:8080/x', depth: 0 }, { url: 'http://a.test/y', depth: 0 }]);
        const got = await lease(10);
        expect(got).toHaveLength(1);
        expect(got[0]!.host).toBe('a.test');
      });
    });

    describe('lease and politeness', () => {
      it('never exceeds a host’s maxConcurrent until releaseHost', async () => {
        await f.add(urls('a.test', 3));
        const first = await lease(10);
        expect(first).toHaveLength(1);
        expect(await lease(10)).toEqual([]);
        await f.releaseHost('a.test', T, first[0]!.slot);
        expect(await lease(10)).toHaveLength(1);
      });

      it('honours a per-host maxConcurrent set by setHostPolicy', async () => {
        await f.add(urls('a.test', 5));
        await f.setHostPolicy('a.test', { maxConcurrent: 3, delayMs: 0 });
        expect(await lease(10)).toHaveLength(3);
        expect(await lease(10)).toHaveLength(0);
      });

      it('does not lease from a host before its readyAt', async () => {
        await f.add(urls('a.test', 2));
        const [l] = await lease(1);
        await f.releaseHost('a.test', T + 1000, l!.slot);
        expect(await lease(10, T + 999)).toEqual([]);
        expect(await lease(10, T + 1000)).toHaveLength(1);
      });

      it('never moves a host’s readiness earlier', async () => {
        await f.add(urls('a.test', 3));
        await f.setHostPolicy('a.test', { maxConcurrent: 2, delayMs: 0 });
        const ls = await lease(2);
        await f.releaseHost('a.test', T + 5000, ls[0]!.slot); // e.g. a Retry-After
        await f.releaseHost('a.test', T + 100, ls[1]!.slot);
        expect(await lease(10, T + 4999)).toEqual([]);
        expect(await lease(10, T + 5000)).toHaveLength(1);
      });

      it('leases higher priority first within a host, then insertion order', async () => {
        await f.add([
          { url: 'http://a.test/low', depth: 0 },
          { url: 'http://a.test/high', depth: 0, priority: 10 },
          { url: 'http://a.test/low2', depth: 0 },
          { url: 'http://a.test/mid', depth: 0, priority: 5 },
        ]);
        const order: string[] = [];
        for (let i = 0; i < 4; i++) {
          const [l] = await lease(1, T + i);
          order.push(l!.url);
          await f.releaseHost('a.test', T + i, l!.slot);
        }
        expect(order).toEqual(['http://a.test/high', 'http://a.test/mid', 'http://a.test/low', 'http://a.test/low2']);
      });

      it('serves the host that has waited longest first', async () => {
        await f.add([...urls('a.test', 2), ...urls('b.test', 2), ...urls('c.test', 2)]);
        const firsts = await lease(3);
        expect(new Set(firsts.map((l) => l.host))).toEqual(new Set(['a.test', 'b.test', 'c.test']));
        const byHost = new Map(firsts.map((l) => [l.host, l.slot]));
        await f.releaseHost('a.test', T + 300, byHost.get('a.test'));
        await f.releaseHost('b.test', T + 100, byHost.get('b.test'));
        await f.releaseHost('c.test', T + 200, byHost.get('c.test'));
        expect((await lease(1, T + 1000)).map((l) => l.host)).toEqual(['b.test']);
        expect((await lease(2, T + 1000)).map((l) => l.host)).toEqual(['c.test', 'a.test']);
      });

      it('returns at most max URLs, spread over ready hosts', async () => {
        for (const h of ['a', 'b', 'c', 'd', 'e']) await f.add(urls(`${h}.test`, 2));
        const got = await lease(3);
        expect(got).toHaveLength(3);
        expect(new Set(got.map((l) => l.host)).size).toBe(3);
        expect(await lease(0)).toEqual([]);
      });

      it('gives each URL to one lease only', async () => {
        await f.add([...urls('a.test', 1), ...urls('b.test', 1)]);
        const one = await lease(10, T, 'w1');
        const two = await lease(10, T, 'w2');
        expect(one).toHaveLength(2);
        expect(two).toEqual([]);
      });

      it('a late release after recover never frees a slot twice', async () => {
        await f.add(urls('a.test', 2));
        const [stale] = await lease(1, T, 'w1', 1000);
        expect(await f.recover({ now: T + 2000 })).toBe(1);
        const [fresh] = await lease(1, T + 2000, 'w2');
        expect(fresh).toBeDefined();
        // w1 finally ends its request: the host must still count w2's request in flight.
        await f.releaseHost('a.test', T + 2000, stale!.slot);
        expect(await lease(10, T + 3000, 'w3')).toEqual([]);
        await f.releaseHost('a.test', T + 3000, fresh!.slot);
        expect(await lease(10, T + 3000, 'w3')).toHaveLength(1);
      });

      it('releaseHost without a slot token frees one slot', async () => {
        await f.add(urls('a.test', 2));
        await lease(1);
        await f.releaseHost('a.test', T);
        expect(await lease(1)).toHaveLength(1);
      });
    });

    describe('retry', () => {
      it('puts the URL back with notBefore and counts the attempt', async () => {
        await f.add(urls('a.test', 1));
        const [l] = await lease(1);
        await f.retry(l!.id, T + 5000);
        await f.releaseHost('a.test', T, l!.slot);
        expect(await f.counts()).toMatchObject({ pending: 1, leased: 0 });
        expect(await lease(1, T + 4999)).toEqual([]);
        const [again] = await lease(1, T + 5000);
        expect(again).toMatchObject({ id: l!.id, attempts: 1 });
      });

      it('lets other URLs of the host go while one waits for its notBefore', async () => {
        await f.add(urls('a.test', 2));
        const [l] = await lease(1);
        await f.retry(l!.id, T + 60_000);
        await f.releaseHost('a.test', T, l!.slot);
        const [other] = await lease(1, T + 1);
        expect(other!.url).toBe('http://a.test/p1');
      });

      it('keeps the host slot taken until releaseHost', async () => {
        await f.add(urls('a.test', 2));
        const [l] = await lease(1);
        await f.retry(l!.id, T);
        expect(await lease(10)).toEqual([]);
        await f.releaseHost('a.test', T, l!.slot);
        expect(await lease(10)).toHaveLength(1);
      });

      it('leaves a done URL done, and rejects an unknown id', async () => {
        await f.add(urls('a.test', 1));
        const [l] = await lease(1);
        await f.commit([l!.id], cp(1));
        await f.retry(l!.id, T);
        expect(await f.counts()).toMatchObject({ pending: 0, done: 1 });
        await expect(f.retry('999999', T)).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_UNKNOWN_ID' });
      });
    });

    describe('host policy', () => {
      it('returns the default for hosts never set, and what was set otherwise', async () => {
        expect(await f.getHostPolicy('never.test')).toEqual({ maxConcurrent: 1, delayMs: 0 });
        await f.setHostPolicy('a.test', { maxConcurrent: 2, delayMs: 1500 });
        expect(await f.getHostPolicy('a.test')).toEqual({ maxConcurrent: 2, delayMs: 1500 });
        await f.setHostPolicy('a.test', { maxConcurrent: 1, delayMs: 10_000 });
        expect(await f.getHostPolicy('a.test')).toEqual({ maxConcurrent: 1, delayMs: 10_000 });
      });

      it('applies a policy set before the host’s URLs arrive', async () => {
        await f.setHostPolicy('a.test', { maxConcurrent: 2, delayMs: 0 });
        await f.add(urls('a.test', 3));
        expect(await lease(10)).toHaveLength(2);
      });

      it('rejects a bad policy', async () => {
        await expect(f.setHostPolicy('a.test', { maxConcurrent: 0, delayMs: 0 })).rejects.toMatchObject({ code: expect.stringMatching(/^JVX_ERR_/) });
      });
    });

    describe('commit and checkpoints', () => {
      it('marks leased URLs done and stores the checkpoint', async () => {
        await f.add([...urls('a.test', 1), ...urls('b.test', 1)]);
        const ls = await lease(2);
        const res = await f.commit(ls.map((l) => l.id), cp(1));
        expect(res).toEqual({ duplicates: [] });
        expect(await f.counts()).toEqual({ pending: 0, leased: 0, done: 2, total: 2 });
        expect(await f.lastCheckpoint(W)).toEqual(cp(1));
      });

      it('reports URLs already done as duplicates and counts them once', async () => {
        await f.add(urls('a.test', 2));
        const [a] = await lease(1, T, 'w1', 1000);
        await f.recover({ now: T + 2000 });
        const [b] = await lease(1, T + 2000, 'w2');
        expect(b!.id).toBe(a!.id);
        expect(await f.commit([b!.id], cp(1, 'w2'))).toEqual({ duplicates: [] });
        expect(await f.commit([a!.id], cp(1, 'w1'))).toEqual({ duplicates: [a!.id] });
        expect(await f.counts()).toMatchObject({ done: 1, total: 2 });
      });

      it('commits a URL that recover had returned to pending, and it is never leased again', async () => {
        await f.add(urls('a.test', 1));
        const [a] = await lease(1, T, W, 1000);
        await f.recover({ now: T + 2000 });
        expect(await f.commit([a!.id], cp(1))).toEqual({ duplicates: [] });
        expect(await f.counts()).toEqual({ pending: 0, leased: 0, done: 1, total: 1 });
        expect(await lease(10, T + 3000, 'w2')).toEqual([]);
        expect(await f.nextReadyAt()).toBeUndefined();
      });

      it('is atomic: an unknown id fails the whole commit, checkpoint included', async () => {
        await f.add(urls('a.test', 1));
        const [a] = await lease(1);
        await expect(f.commit([a!.id, '987654'], cp(1))).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_UNKNOWN_ID' });
        expect(await f.counts()).toMatchObject({ leased: 1, done: 0 });
        expect(await f.checkpoints()).toEqual([]);
        expect(await f.commit([a!.id], cp(1))).toEqual({ duplicates: [] });
      });

      it('refuses a checkpoint seq that does not move forward, changing nothing', async () => {
        await f.add(urls('a.test', 2));
        const [a] = await lease(1);
        await f.commit([a!.id], cp(2));
        await f.releaseHost('a.test', T, a!.slot);
        const [b] = await lease(1);
        await expect(f.commit([b!.id], cp(2))).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_CHECKPOINT_ORDER' });
        expect(await f.counts()).toMatchObject({ leased: 1, done: 1 });
        await f.commit([b!.id], cp(3));
        expect((await f.lastCheckpoint(W))!.seq).toBe(3);
      });

      it('accepts a checkpoint with no URLs (e.g. only input errors)', async () => {
        expect(await f.commit([], cp(1))).toEqual({ duplicates: [] });
        expect(await f.checkpoints()).toEqual([cp(1)]);
      });

      it('lists every checkpoint oldest first, and the last one per worker', async () => {
        await f.commit([], cp(1, 'w1'));
        await f.commit([], cp(1, 'w2'));
        await f.commit([], cp(2, 'w1', { counts: { fetched: 7, failed: 1 } }));
        expect((await f.checkpoints()).map((c) => `${c.worker}:${c.seq}`)).toEqual(['w1:1', 'w2:1', 'w1:2']);
        expect(await f.lastCheckpoint('w1')).toEqual(cp(2, 'w1', { counts: { fetched: 7, failed: 1 } }));
        expect((await f.lastCheckpoint('w2'))!.seq).toBe(1);
        expect(await f.lastCheckpoint('nobody')).toBeUndefined();
      });
    });

    describe('recover', () => {
      it('returns expired leases to pending and frees their slots', async () => {
        await f.add(urls('a.test', 1));
        const [a] = await lease(1, T, W, 1000);
        expect(await f.recover({ now: T + 1000 })).toBe(0); // expires strictly after leaseUntil
        expect(await f.recover({ now: T + 1001 })).toBe(1);
        expect(await f.counts()).toMatchObject({ pending: 1, leased: 0 });
        const [again] = await lease(1, T + 1001, 'w2');
        expect(again!.id).toBe(a!.id);
      });

      it('with a worker, returns all its leases regardless of expiry, and only its', async () => {
        await f.add([...urls('a.test', 1), ...urls('b.test', 1), ...urls('c.test', 1)]);
        await lease(2, T, 'dead');
        await lease(1, T, 'alive');
        expect(await f.recover({ now: T, worker: 'dead' })).toBe(2);
        expect(await f.counts()).toMatchObject({ pending: 2, leased: 1 });
        const back = await lease(10, T, 'w3');
        expect(back).toHaveLength(2);
      });

      it('returns 0 when nothing is leased', async () => {
        expect(await f.recover({ now: T, worker: 'nobody' })).toBe(0);
      });
    });

    describe('nextReadyAt and counts', () => {
      it('is undefined when nothing is pending', async () => {
        expect(await f.nextReadyAt()).toBeUndefined();
      });

      it('tracks readyAt, notBefore, and saturated hosts', async () => {
        await f.add(urls('a.test', 2));
        expect(await f.nextReadyAt()).toBeLessThanOrEqual(T);
        const [a] = await lease(1);
        expect(await f.nextReadyAt()).toBe(Infinity); // p1 pending, but a.test's only slot is taken
        await f.releaseHost('a.test', T + 700, a!.slot);
        expect(await f.nextReadyAt()).toBe(T + 700);
        await f.commit([a!.id], cp(1));
        const [b] = await lease(1, T + 700);
        expect(await f.nextReadyAt()).toBeUndefined();
        await f.retry(b!.id, T + 9000);
        await f.releaseHost('a.test', T + 800, b!.slot);
        expect(await f.nextReadyAt()).toBe(T + 9000);
      });

      it('follows a retried URL’s notBefore when it is the only one pending', async () => {
        await f.add(urls('a.test', 1));
        const [a] = await lease(1);
        await f.retry(a!.id, T + 4000);
        await f.releaseHost('a.test', T + 10, a!.slot);
        expect(await f.nextReadyAt()).toBe(T + 4000);
      });

      it('counts every state through the life cycle', async () => {
        await f.add([...urls('a.test', 2), ...urls('b.test', 1)]);
        expect(await f.counts()).toEqual({ pending: 3, leased: 0, done: 0, total: 3 });
        const ls = await lease(10);
        expect(await f.counts()).toEqual({ pending: 1, leased: 2, done: 0, total: 3 });
        await f.commit([ls[0]!.id], cp(1));
        expect(await f.counts()).toEqual({ pending: 1, leased: 1, done: 1, total: 3 });
        await f.retry(ls[1]!.id, T);
        expect(await f.counts()).toEqual({ pending: 2, leased: 0, done: 1, total: 3 });
      });
    });

    it('drains many hosts: every URL leased and committed once, no host over its limit', async () => {
      const hosts = Array.from({ length: 40 }, (_, i) => `h${i}.test`);
      for (const h of hosts) await f.add(urls(h, 6));
      await f.setHostPolicy('h0.test', { maxConcurrent: 2, delayMs: 0 });
      const seen = new Set<string>();
      const inFlight = new Map<string, number>();
      let now = T;
      let seq = 0;
      for (let round = 0; round < 500; round++) {
        const ls = await lease(25, now);
        if (ls.length === 0 && (await f.counts()).pending === 0) break;
        for (const l of ls) {
          expect(seen.has(l.id)).toBe(false);
          seen.add(l.id);
          const n = (inFlight.get(l.host) ?? 0) + 1;
          inFlight.set(l.host, n);
          expect(n).toBeLessThanOrEqual(l.host === 'h0.test' ? 2 : 1);
        }
        // Every other URL retries once, so notBefore and attempts are exercised under load.
        const commit: string[] = [];
        for (const l of ls) {
          if (l.attempts === 0 && Number(l.id) % 2 === 0) {
            await f.retry(l.id, now + 5);
            seen.delete(l.id);
          } else {
            commit.push(l.id);
          }
          inFlight.set(l.host, inFlight.get(l.host)! - 1);
          await f.releaseHost(l.host, now + 1, l.slot);
        }
        if (commit.length > 0) expect(await f.commit(commit, cp(++seq))).toEqual({ duplicates: [] });
        now += 3;
      }
      expect(await f.counts()).toEqual({ pending: 0, leased: 0, done: 240, total: 240 });
      expect(seen.size).toBe(240);
      expect(await f.nextReadyAt()).toBeUndefined();
    });
  });
}
