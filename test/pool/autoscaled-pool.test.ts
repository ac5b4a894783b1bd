import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoscaledPool } from '../../src/pool/index.js';
import { steeredSource, taskMeter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const always = async (): Promise<boolean> => true;
const never = async (): Promise<boolean> => false;

describe('AutoscaledPool: scaling', () => {
  it('grows to the ceiling while tasks are ready and nothing is overloaded, and never passes it', async () => {
    const { source, closed } = steeredSource();
    const meter = taskMeter(100);
    const pool = new AutoscaledPool({ minConcurrency: 2, maxConcurrency: 40, isTaskReady: always, runTask: meter.runTask, isFinished: never, sampleSource: source });
    const seen: number[] = [];
    const done = pool.run();
    expect(pool.constraint).toBe('starting');
    for (let i = 0; i < 40; i++) {
      await vi.advanceTimersByTimeAsync(250);
      seen.push(pool.desiredConcurrency);
      expect(pool.concurrency).toBeLessThanOrEqual(40);
    }
    expect(pool.desiredConcurrency).toBe(40);
    expect(pool.constraint).toBe('ceiling');
    expect(meter.peak()).toBe(40);
    // monotone growth, quick: at the ceiling within a few seconds
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
    expect(seen.indexOf(40)).toBeLessThan(24);
    void pool.abort();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(meter.running()).toBe(0);
    expect(closed()).toBe(true);
  });

  it('shrinks on event-loop lag (constraint event-loop) and grows back when it clears', async () => {
    const { reading, source } = steeredSource();
    const meter = taskMeter(50);
    const pool = new AutoscaledPool({ minConcurrency: 1, maxConcurrency: 32, initialConcurrency: 32, isTaskReady: always, runTask: meter.runTask, isFinished: never, sampleSource: source });
    const done = pool.run();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pool.desiredConcurrency).toBe(32);
    expect(pool.constraint).toBe('ceiling');

    reading.eventLoopDelayMs = 200;
    // the window still holds the calm samples: it takes a sustained lag (over 60% of it) to act
    await vi.advanceTimersByTimeAsync(1_500);
    const afterLag = pool.desiredConcurrency;
    expect(afterLag).toBeLessThan(32);
    expect(pool.constraint).toBe('event-loop');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pool.desiredConcurrency).toBe(1);
    expect(pool.concurrency).toBeLessThanOrEqual(1);
    expect(pool.constraint).toBe('event-loop');

    reading.eventLoopDelayMs = 2;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pool.desiredConcurrency).toBe(32);
    expect(pool.constraint).toBe('ceiling');
    void pool.abort();
    await vi.advanceTimersByTimeAsync(100);
    await done;
  });

  it('a short lag spike (under the overloaded share of samples) does not shrink the pool', async () => {
    const { reading, source } = steeredSource();
    const meter = taskMeter(50);
    const pool = new AutoscaledPool({ minConcurrency: 1, maxConcurrency: 8, initialConcurrency: 8, isTaskReady: always, runTask: meter.runTask, isFinished: never, sampleSource: source });
    const done = pool.run();
    await vi.advanceTimersByTimeAsync(1_000);
    reading.eventLoopDelayMs = 500;
    await vi.advanceTimersByTimeAsync(100); // one sample
    reading.eventLoopDelayMs = 1;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(pool.desiredConcurrency).toBe(8);
    void pool.abort();
    await vi.advanceTimersByTimeAsync(100);
    await done;
  });

  for (const [name, steer, expected] of [
    ['RSS over maxMemoryBytes', { rssBytes: 900 * 1024 * 1024 }, 'memory'],
    ['V8 heap near its limit', { heapUsedBytes: 3_900 * 1024 * 1024 }, 'memory'],
    ['CPU saturated', { cpuRatio: 1 }, 'cpu'],
  ] as const) {
    it(`shrinks when ${name} (constraint ${expected})`, async () => {
      const { reading, source } = steeredSource();
      const meter = taskMeter(50);
      const pool = new AutoscaledPool({
        minConcurrency: 2,
        maxConcurrency: 16,
        initialConcurrency: 16,
        maxMemoryBytes: 512 * 1024 * 1024,
        isTaskReady: always,
        runTask: meter.runTask,
        isFinished: never,
        sampleSource: source,
      });
      const done = pool.run();
      await vi.advanceTimersByTimeAsync(500);
      Object.assign(reading, steer);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(pool.desiredConcurrency).toBe(2);
      expect(pool.constraint).toBe(expected);
      void pool.abort();
      await vi.advanceTimersByTimeAsync(100);
      await done;
    });
  }

  it('shrinks when reported overloads (429/503/timeouts) rise, not on a stray one', async () => {
    const { source } = steeredSource();
    let overloading = false;
    let n = 0;
    const pool: AutoscaledPool = new AutoscaledPool({
      minConcurrency: 1,
      maxConcurrency: 20,
      initialConcurrency: 20,
      isTaskReady: always,
      runTask: async () => {
        await new Promise((r) => setTimeout(r, 100));
        n++;
        if (overloading && n % 2 === 0) pool.reportOverload();
      },
      isFinished: never,
      sampleSource: source,
    });
    const done = pool.run();
    await vi.advanceTimersByTimeAsync(1_000);
    pool.reportOverload(); // one stray 429
    await vi.advanceTimersByTimeAsync(2_000);
    expect(pool.desiredConcurrency).toBe(20);
    overloading = true;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(pool.desiredConcurrency).toBeLessThan(20);
    expect(pool.constraint).toBe('overload');
    void pool.abort();
    await vi.advanceTimersByTimeAsync(200);
    await done;
  });

  it('does not grow past what is ready (constraint work), e.g. politeness gating tasks', async () => {
    const { source } = steeredSource();
    // only one task becomes ready every 100 ms; each takes 100 ms: one slot is all it can use
    let nextReadyAt = 0;
    const meter = taskMeter(100);
    const pool = new AutoscaledPool({
      minConcurrency: 4,
      maxConcurrency: 64,
      isTaskReady: async () => {
        if (Date.now() < nextReadyAt) return false;
        nextReadyAt = Date.now() + 100;
        return true;
      },
      runTask: meter.runTask,
      isFinished: never,
      sampleSource: source,
    });
    const done = pool.run();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pool.desiredConcurrency).toBe(4);
    expect(pool.constraint).toBe('work');
    expect(meter.peak()).toBeLessThanOrEqual(2);
    void pool.abort();
    await vi.advanceTimersByTimeAsync(200);
    await done;
  });

  it('publishes jarvix:pool:scale with the reason', async () => {
    const { reading, source } = steeredSource();
    const events: { from: number; to: number; reason: string }[] = [];
    const on = (m: unknown): void => void events.push(m as { from: number; to: number; reason: string });
    subscribe('jarvix:pool:scale', on);
    try {
      const meter = taskMeter(50);
      const pool = new AutoscaledPool({ minConcurrency: 2, maxConcurrency: 6, isTaskReady: always, runTask: meter.runTask, isFinished: never, sampleSource: source });
      const done = pool.run();
      await vi.advanceTimersByTimeAsync(3_000);
      reading.cpuRatio = 1;
      await vi.advanceTimersByTimeAsync(1_000);
      void pool.abort();
      await vi.advanceTimersByTimeAsync(100);
      await done;
    } finally {
      unsubscribe('jarvix:pool:scale', on);
    }
    expect(events[0]).toMatchObject({ from: 2, to: 3, reason: 'headroom' });
    expect(events.some((e) => e.to === 6)).toBe(true);
    expect(events.at(-1)).toMatchObject({ reason: 'cpu' });
    expect(events.every((e) => e.to <= 6 && e.to >= 2)).toBe(true);
  });
});
