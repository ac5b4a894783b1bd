import { describe, expect, it } from 'vitest';
import { Counters } from '../../src/collect/counters.js';
import { eta, progressStats, steady, type ProgressSnapshot } from '../../src/collect/progress.js';

const snap = (o: Partial<ProgressSnapshot>): ProgressSnapshot => ({ done: 0, total: 100, failed: 0, refused: 0, concurrency: 10, constraint: 'max', pagesPerSecond: 50, bytes: 0, ...o });

describe('progress figures', () => {
  it('never shows done, failed or refused going backwards', () => {
    let shown: ProgressSnapshot | undefined;
    const seen: number[] = [];
    for (const done of [393, 4, 495, 1108, 431, 1244]) {
      shown = steady(shown, snap({ done, total: 2000, failed: done % 7, refused: 3 }));
      seen.push(shown.done);
    }
    expect(seen).toEqual([393, 393, 495, 1108, 1108, 1244]);
    expect(steady(snap({ failed: 5, refused: 2 }), snap({ failed: 1, refused: 1 }))).toMatchObject({ failed: 5, refused: 2 });
  });

  it('says what it waits for instead of "ETA 0s" while work remains', () => {
    expect(eta(snap({ done: 99, total: 100, pagesPerSecond: 500, concurrency: 1 }))).toBe('last 1 in flight');
    expect(eta(snap({ done: 90, total: 100, pagesPerSecond: 5000, concurrency: 4 }))).toBe('1s');
    expect(eta(snap({ done: 0, total: 100, pagesPerSecond: 0, concurrency: 0 }))).toBe('?');
    expect(eta(snap({ done: 100, total: 100 }))).toBe('done');
    expect(eta(snap({ done: 0, total: 6000, pagesPerSecond: 50, concurrency: 10 }))).toBe('2m00s');
  });

  it('labels every figure', () => {
    const line = progressStats(snap({ done: 40, failed: 2, refused: 1, concurrency: 8, constraint: 'cpu' }));
    expect(line).toContain('done 40/100 40.0%');
    expect(line).toContain('failed 2 refused 1 (run totals)');
    expect(line).toContain('fetching 8 (cpu)');
    expect(line).toContain('this session');
  });

  it('counts outcomes as run totals on resume, and the session rate from this session only', () => {
    const c = new Counters();
    c.seedFromDataset({ fetched: 90, failed: 7, refused: 3, robots_blocked: 2 });
    c.fetched += 4;
    c.failed += 1;
    expect(c.failed).toBe(8);
    expect(c.refused).toBe(3);
    expect(c.sessionFinished).toBe(5);
    expect(c.toRecord()).toMatchObject({ fetched: 94, failed: 8, refused: 3, robots_blocked: 2 });
  });
});
