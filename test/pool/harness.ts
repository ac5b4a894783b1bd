import type { ResourceReading, SampleSource } from '../../src/pool/index.js';

/** A sample source the test steers: change `reading` and the next samples say so. */
export function steeredSource(initial: Partial<ResourceReading> = {}): { reading: ResourceReading; source: SampleSource; closed: () => boolean } {
  const reading: ResourceReading = {
    rssBytes: 100 * 1024 * 1024,
    heapUsedBytes: 50 * 1024 * 1024,
    heapLimitBytes: 4 * 1024 * 1024 * 1024,
    eventLoopDelayMs: 1,
    cpuRatio: 0.2,
    ...initial,
  };
  let closed = false;
  return {
    reading,
    source: {
      read: () => ({ ...reading }),
      close: () => {
        closed = true;
      },
    },
    closed: () => closed,
  };
}

/** Counts tasks running at once and the peak; tasks last `taskMs` of (fake) time. */
export function taskMeter(taskMs: number, onRun?: () => void): { runTask: () => Promise<void>; running: () => number; peak: () => number; started: () => number } {
  let running = 0;
  let peak = 0;
  let started = 0;
  return {
    runTask: async () => {
      running++;
      started++;
      peak = Math.max(peak, running);
      try {
        onRun?.();
        await new Promise((r) => setTimeout(r, taskMs));
      } finally {
        running--;
      }
    },
    running: () => running,
    peak: () => peak,
    started: () => started,
  };
}
