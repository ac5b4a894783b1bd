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

  it('keeps all at 1 and none at 0', () => {
    expect(urls.every((u) => ratioSampler(1)(u))).toBe(true);
    expect(urls.some((u) => ratioSampler(0)(u))).toBe(false);
  });
});
