import { afterAll, beforeAll, expect, it } from 'vitest';
import { bloomRateAt, planDedup, type DedupLayout } from '../../src/frontier/redis-dedup.js';
import { RedisFrontier } from '../../src/frontier/redis-frontier.js';
import type { FrontierAdd } from '../../src/frontier/types.js';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const N = 200_000;
const PROBE = 20_000;
const RATE = 0.01;

/** Expected false positives while adding URLs number `from`..`to`-1 to a filter: Σ rate(i). */
function expectedFalsePositives(layout: DedupLayout, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i += 100) sum += Math.min(100, to - i) * bloomRateAt(layout, i + 50);
  return sum;
}

async function addAll(f: RedisFrontier, set: string, n: number): Promise<number> {
  let added = 0;
  for (let start = 0; start < n; start += 5_000) {
    const batch: FrontierAdd[] = [];
    for (let i = start; i < Math.min(n, start + 5_000); i++) batch.push({ url: `https://h${i % 64}.bloom.test/${set}/item-${i}?ref=${(i * 7919) % 10_007}`, depth: 0 });
    added += await f.add(batch);
  }
  return added;
}

describeWithRedis('RedisFrontier Bloom dedup', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sizes the filter for the configured rate', () => {
    for (const p of [0.01, 0.001]) {
      const layout = planDedup('bloom', 1_000_000, p);
      expect(bloomRateAt(layout, 1_000_000)).toBeLessThanOrEqual(p * 1.02);
      expect(bloomRateAt(layout, 1_000_000)).toBeGreaterThan(p * 0.8);
    }
    // 100M URLs at 0.1%: 14.4 bits a URL, in 2 MiB keys.
    const big = planDedup('bloom', 100_000_000, 0.001);
    expect((big.segments * big.segmentBits) / 8 / 100_000_000).toBeCloseTo(1.8, 1);
    expect(big.segmentBits).toBeLessThanOrEqual(2 ** 24);
  });

  it(`measured over ${N / 1000}k URLs: no false negatives, false positives close to the configured ${RATE}`, async () => {
    const f = await RedisFrontier.open({ url: server.url(), run: 'bloom', defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 }, dedup: 'bloom', expectedUrls: N, falsePositiveRate: RATE });
    try {
      const layout = f.dedup;
      expect(layout).toMatchObject({ mode: 'bloom', expectedUrls: N, falsePositiveRate: RATE });

      // Filling: a new URL is dropped when it hits a false positive; the expected count grows with the fill.
      const added = await addAll(f, 'a', N);
      const fillExpected = expectedFalsePositives(layout, 0, N);
      expect(N - added).toBeGreaterThan(fillExpected * 0.75);
      expect(N - added).toBeLessThan(fillExpected * 1.25);

      // No false negatives: URLs added are known (a sample, to keep the test fast).
      expect(await addAll(f, 'a', PROBE)).toBe(0);

      // At the configured size, fresh URLs are (wrongly) seen at about the configured rate.
      const probeAdded = await addAll(f, 'b', PROBE);
      const rate = (PROBE - probeAdded) / PROBE;
      const expected = expectedFalsePositives(layout, N, N + PROBE) / PROBE;
      expect(rate).toBeGreaterThan(expected * 0.7);
      expect(rate).toBeLessThan(expected * 1.3);
      expect(rate).toBeGreaterThan(RATE * 0.7);
      expect(rate).toBeLessThan(RATE * 1.6);
      expect(await f.counts()).toMatchObject({ total: added + probeAdded });
    } finally {
      await f.dropRun();
    }
  });
});
