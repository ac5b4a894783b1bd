import type { Sample } from './snapshotter.js';

export type OverloadReason = 'memory' | 'event-loop' | 'cpu' | 'overload';

export interface SystemStatusOptions {
  /** RSS above this is memory pressure. */
  maxMemoryBytes: number;
  /** V8 heap used over its limit above this is memory pressure too (the heap OOMs before RSS does). */
  maxHeapRatio: number;
  maxEventLoopLagMs: number;
  /** Process CPU as a share of all cores. */
  maxCpuRatio: number;
  /** reportOverload() events per finished task above this is overload (429/503/timeouts rising). */
  maxOverloadRatio: number;
  /** ...but only once at least this many were reported in the window (one 429 is not a trend). */
  minOverloadEvents: number;
  /** Share of samples in the window that must be over a limit for the resource to count as overloaded. */
  memoryOverloadedRatio: number;
  eventLoopOverloadedRatio: number;
  cpuOverloadedRatio: number;
}

export interface Judgement {
  overloaded: boolean;
  /** The first overloaded resource, in the order memory, event-loop, cpu, overload. */
  reason: OverloadReason | null;
  /** Mean utilization of the window's samples (running / desired). */
  utilization: number;
  /** Share of samples over each limit; for overload, the events-per-task ratio. */
  ratios: Record<OverloadReason, number>;
  samples: number;
}

/**
 * The judge: given a window of samples, is the system overloaded and why? A resource counts as
 * overloaded when more than a set share of the window's samples are over its limit (crawlee's
 * rule), so one slow tick or one GC pause does not shrink the pool. Pure: no clock, no I/O.
 */
export class SystemStatus {
  readonly #o: SystemStatusOptions;

  constructor(options: SystemStatusOptions) {
    this.#o = options;
  }

  judge(samples: readonly Sample[]): Judgement {
    const o = this.#o;
    const n = samples.length;
    const share = (over: (s: Sample) => boolean): number => (n === 0 ? 0 : samples.filter(over).length / n);
    const memory = share((s) => s.rssBytes > o.maxMemoryBytes || (s.heapLimitBytes > 0 && s.heapUsedBytes / s.heapLimitBytes > o.maxHeapRatio));
    const eventLoop = share((s) => s.eventLoopDelayMs > o.maxEventLoopLagMs);
    const cpu = share((s) => s.cpuRatio > o.maxCpuRatio);
    let overloads = 0;
    let ends = 0;
    for (const s of samples) {
      overloads += s.overloads;
      ends += s.taskEnds;
    }
    const overloadRatio = overloads === 0 ? 0 : overloads / Math.max(ends, overloads);
    const ratios: Record<OverloadReason, number> = { memory, 'event-loop': eventLoop, cpu, overload: overloadRatio };
    let reason: OverloadReason | null = null;
    if (memory > o.memoryOverloadedRatio) reason = 'memory';
    else if (eventLoop > o.eventLoopOverloadedRatio) reason = 'event-loop';
    else if (cpu > o.cpuOverloadedRatio) reason = 'cpu';
    else if (overloads >= o.minOverloadEvents && overloadRatio > o.maxOverloadRatio) reason = 'overload';
    const utilization = n === 0 ? 0 : samples.reduce((sum, s) => sum + s.utilization, 0) / n;
    return { overloaded: reason !== null, reason, utilization, ratios, samples: n };
  }
}
