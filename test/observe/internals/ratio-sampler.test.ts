import { describe, expect, it } from 'vitest';
import { ratioSampler } from '../../../src/observe/tracing.js';

describe('ratioSampler: the trace of a URL kept or dropped by its hash', () => {
  const urls = Array.from({ length: 20_000 }, (_, i) => `http://site-${i % 997}.test/p/${i}`);

  it('keeps about the ratio asked for, and always the same URLs for one salt', () => {
    const keep = ratioSampler(0.1, 12345);
    const kept = urls.filter((u) => keep(u));
    expect(kept.length).toBeGreaterThan(urls.length * 0.09);
    expect(kept.length).toBeLessThan(urls.length * 0.11);
    expect(urls.filter((u) => keep(u))).toEqual(kept);
    // Another process (salt) keeps other URLs, about as many.
    const other = ratioSampler(0.1, 54321);
    const overlap = kept.filter((u) => other(u)).length;
    expect(overlap).toBeLessThan(kept.length * 0.2);
  });

  it('decides URLs that differ only at the end independently of each other', () => {
    // 60 URLs like those of a small synthetic web: per salt, the number kept at 50% should vary as
    // 60 coin flips do (standard deviation √15 ≈ 3.9). Correlated decisions spread it wider.
    const similar = Array.from({ length: 60 }, (_, i) => (i < 4 ? `http://site-000${i}.test/` : `http://site-000${i % 4}.test/page/${i}`));
    const counts = Array.from({ length: 2_000 }, (_, salt) => similar.filter(ratioSampler(0.5, salt * 2_654_435_761)).length);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const sd = Math.sqrt(counts.reduce((a, c) => a + (c - mean) ** 2, 0) / counts.length);
    expect(Math.abs(mean - 30)).toBeLessThan(0.5);
    expect(sd).toBeGreaterThan(3.4);
    expect(sd).toBeLessThan(4.4);
  });

  it('keeps all at 1 and none at 0', () => {
    expect(urls.every((u) => ratioSampler(1)(u))).toBe(true);
    expect(urls.some((u) => ratioSampler(0)(u))).toBe(false);
  });
});
