/** Latency percentiles over a sorted copy (nearest-rank). */
export function percentiles(values: readonly number[], ps: readonly number[] = [0.5, 0.95, 0.99]): Record<string, number> {
  const sorted = Float64Array.from(values).sort();
  const out: Record<string, number> = {};
  for (const p of ps) {
    const rank = sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
    out[`p${Math.round(p * 100)}`] = Math.round(rank * 10) / 10;
  }
  return out;
}

/** CPU seconds and peak RSS of this process between start() and stop(). */
export class ResourceMeter {
  readonly #cpu0 = process.cpuUsage();
  readonly #wall0 = performance.now();
  #peakRss = process.memoryUsage.rss();
  readonly #timer: NodeJS.Timeout;

  constructor(sampleMs = 50) {
    this.#timer = setInterval(() => {
      this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss());
    }, sampleMs);
    this.#timer.unref();
  }

  stop(): { seconds: number; cpuSeconds: number; peakRssMB: number } {
    clearInterval(this.#timer);
    this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss());
    const cpu = process.cpuUsage(this.#cpu0);
    return {
      seconds: (performance.now() - this.#wall0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMB: Math.round((this.#peakRss / 1024 / 1024) * 10) / 10,
    };
  }
}
