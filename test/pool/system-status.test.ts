import { describe, expect, it } from 'vitest';
import { processSampleSource, SystemStatus, type Sample } from '../../src/pool/index.js';

const opts = {
  maxMemoryBytes: 1_000,
  maxHeapRatio: 0.9,
  maxEventLoopLagMs: 50,
  maxCpuRatio: 0.95,
  maxOverloadRatio: 0.2,
  minOverloadEvents: 3,
  memoryOverloadedRatio: 0.2,
  eventLoopOverloadedRatio: 0.6,
  cpuOverloadedRatio: 0.4,
};
const calm: Sample = { at: 0, rssBytes: 500, heapUsedBytes: 10, heapLimitBytes: 100, eventLoopDelayMs: 1, cpuRatio: 0.1, overloads: 0, taskEnds: 5, utilization: 1 };
const window = (n: number, over: number, patch: Partial<Sample>): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ ...calm, at: i, ...(i < over ? patch : {}) }));

describe('SystemStatus', () => {
  it('calls a resource overloaded only past its share of the window', () => {
    const s = new SystemStatus(opts);
    expect(s.judge(window(10, 6, { eventLoopDelayMs: 80 })).overloaded).toBe(false);
    expect(s.judge(window(10, 7, { eventLoopDelayMs: 80 }))).toMatchObject({ overloaded: true, reason: 'event-loop' });
    expect(s.judge(window(10, 2, { rssBytes: 2_000 })).overloaded).toBe(false);
    expect(s.judge(window(10, 3, { rssBytes: 2_000 })).reason).toBe('memory');
    expect(s.judge(window(10, 3, { heapUsedBytes: 95 })).reason).toBe('memory');
    expect(s.judge(window(10, 5, { cpuRatio: 0.99 })).reason).toBe('cpu');
    expect(s.judge([]).overloaded).toBe(false);
  });

  it('memory wins over event-loop over cpu over overload', () => {
    const s = new SystemStatus(opts);
    const all = window(10, 10, { rssBytes: 2_000, eventLoopDelayMs: 99, cpuRatio: 1, overloads: 5 });
    expect(s.judge(all).reason).toBe('memory');
    expect(s.judge(window(10, 10, { eventLoopDelayMs: 99, cpuRatio: 1, overloads: 5 })).reason).toBe('event-loop');
    expect(s.judge(window(10, 10, { cpuRatio: 1, overloads: 5 })).reason).toBe('cpu');
  });

  it('overload needs both a rate and a minimum count', () => {
    const s = new SystemStatus(opts);
    // 2 overloads out of 2 tasks: a high rate, but too few to be a trend
    expect(s.judge([{ ...calm, overloads: 2, taskEnds: 2 }]).overloaded).toBe(false);
    // 5 of 50 tasks: a count, but a 10% rate
    expect(s.judge(window(10, 10, { overloads: 1 })).overloaded).toBe(false);
    // 15 of 50: 30%
    const j = s.judge(window(10, 5, { overloads: 3 }));
    expect(j).toMatchObject({ overloaded: true, reason: 'overload' });
    expect(j.ratios.overload).toBeCloseTo(0.3);
  });

  it('reports mean utilization', () => {
    const s = new SystemStatus(opts);
    expect(s.judge([{ ...calm, utilization: 1 }, { ...calm, utilization: 0.5 }]).utilization).toBeCloseTo(0.75);
  });
});

describe('processSampleSource', () => {
  it('reads memory, CPU and a blocked event loop from the live process', async () => {
    const src = processSampleSource(30);
    try {
      await new Promise((r) => setTimeout(r, 30));
      src.read();
      const until = Date.now() + 150;
      while (Date.now() < until) {
        // block the event loop on purpose
      }
      await new Promise((r) => setTimeout(r, 30));
      const r = src.read();
      expect(r.rssBytes).toBeGreaterThan(0);
      expect(r.heapLimitBytes).toBeGreaterThan(r.heapUsedBytes);
      expect(r.cpuRatio).toBeGreaterThan(0);
      expect(r.cpuRatio).toBeLessThanOrEqual(1);
      expect(r.eventLoopDelayMs).toBeGreaterThan(50);
    } finally {
      src.close();
    }
  });
});
