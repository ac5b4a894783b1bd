import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** What one sample says about the process at one moment. */
export interface ResourceReading {
  rssBytes: number;
  heapUsedBytes: number;
  heapLimitBytes: number;
  /** Worst event-loop delay since the previous reading, beyond the timer's own interval. */
  eventLoopDelayMs: number;
  /** Process CPU time over wall time since the previous reading, as a share of all cores (0..1). */
  cpuRatio: number;
}

/** Where readings come from: the live process by default; tests inject their own. */
export interface SampleSource {
  read(): ResourceReading;
  close(): void;
}

export interface Sample extends ResourceReading {
  at: number;
  /** reportOverload() calls since the previous sample. */
  overloads: number;
  /** Tasks finished since the previous sample. */
  taskEnds: number;
  /** running / desired at sampling time: whether the pool used the slots it had. */
  utilization: number;
}

const RESOLUTION_MS = 10;

/**
 * Readings of this process: RSS and V8 heap, event-loop delay (perf_hooks), CPU (process.cpuUsage).
 * `intervalMs` is how often read() is meant to be called: a read that comes late says the loop was
 * blocked too. That covers a gap in the histogram, which drops the timer interval in progress
 * when it is reset, so a block starting right after a read would otherwise go unseen.
 */
export function processSampleSource(intervalMs: number): SampleSource {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const cores = availableParallelism();
  const heapLimitBytes = getHeapStatistics().heap_size_limit;
  let lastCpu = process.cpuUsage();
  let lastWall = performance.now();
  return {
    read() {
      const mem = process.memoryUsage();
      const cpu = process.cpuUsage(lastCpu);
      const wall = performance.now();
      const elapsedMs = wall - lastWall;
      lastCpu = process.cpuUsage();
      lastWall = wall;
      // the histogram measures whole timer intervals; only what exceeds the interval is lag
      const histogramLagMs = histogram.count > 0 ? histogram.max / 1e6 - RESOLUTION_MS : 0;
      histogram.reset();
      return {
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        heapLimitBytes,
        eventLoopDelayMs: Math.max(0, histogramLagMs, elapsedMs - intervalMs),
        cpuRatio: Math.min(1, (cpu.user + cpu.system) / Math.max(1, elapsedMs * 1000) / cores),
      };
    },
    close() {
      histogram.disable();
    },
  };
}

/**
 * Samples the process at a fixed interval (driven by the pool) and keeps a short history. It only
 * measures; SystemStatus judges and the pool acts. Overload reports and task ends are counted per
 * sample so the judge can compute a rate over any window.
 */
export class Snapshotter {
  readonly #open: () => SampleSource;
  #source: SampleSource | undefined;
  readonly #historyMs: number;
  readonly #samples: Sample[] = [];
  #overloads = 0;
  #taskEnds = 0;

  /** `open` runs on the first sample, so a pool that never runs never starts the event-loop monitor. */
  constructor(open: () => SampleSource, historyMs: number) {
    this.#open = open;
    this.#historyMs = historyMs;
  }

  reportOverload(): void {
    this.#overloads++;
  }

  recordTaskEnd(): void {
    this.#taskEnds++;
  }

  take(now: number, utilization: number): Sample {
    this.#source ??= this.#open();
    const sample: Sample = { ...this.#source.read(), at: now, overloads: this.#overloads, taskEnds: this.#taskEnds, utilization };
    this.#overloads = 0;
    this.#taskEnds = 0;
    this.#samples.push(sample);
    // bounded: only the window the judge can look at is kept
    while (this.#samples.length > 0 && this.#samples[0]!.at < now - this.#historyMs) this.#samples.shift();
    return sample;
  }

  /** Samples taken at or after `from`. */
  since(from: number): Sample[] {
    return this.#samples.filter((s) => s.at >= from);
  }

  close(): void {
    this.#source?.close();
    this.#source = undefined;
  }
}
