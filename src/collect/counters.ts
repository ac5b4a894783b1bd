/** Running totals of one collect session; what progress lines, run.json and bench read. */
export class Counters {
  /**
   * fetched, failed, refused and robotsBlocked are run totals: seeded at start from the committed
   * dataset (`seedFromDataset`), so a resumed run's figures are cumulative like `done`.
   * `priorFinished` is what they held at start, for this session's rate.
   */
  priorFinished = 0;
  total = 0;
  done = 0;
  fetched = 0;
  failed = 0;
  refused = 0;
  robotsBlocked = 0;
  retries = 0;
  requests = 0;
  discovered = 0;
  deadLetters = 0;
  bytes = 0;
  status: Record<number, number> = {};
  /** Bounded reservoir of fetch latencies for percentiles. */
  readonly #latencies: number[] = [];
  #seen = 0;

  seedFromDataset(committed: { fetched: number; failed: number; refused: number; robots_blocked: number }): void {
    this.fetched = committed.fetched;
    this.failed = committed.failed;
    this.refused = committed.refused;
    this.robotsBlocked = committed.robots_blocked;
    this.priorFinished = committed.fetched + committed.failed + committed.refused;
  }

  /** URLs finished by this session (fetched, failed or refused). */
  get sessionFinished(): number {
    return this.fetched + this.failed + this.refused - this.priorFinished;
  }

  recordLatency(ms: number): void {
    this.#seen++;
    if (this.#latencies.length < 20_000) this.#latencies.push(ms);
    else {
      const i = Math.floor(Math.random() * this.#seen);
      if (i < this.#latencies.length) this.#latencies[i] = ms;
    }
  }

  percentile(p: number): number | null {
    if (this.#latencies.length === 0) return null;
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }

  toRecord(): Record<string, number> {
    const out: Record<string, number> = {
      total: this.total,
      fetched: this.fetched,
      failed: this.failed,
      refused: this.refused,
      robots_blocked: this.robotsBlocked,
      retries: this.retries,
      requests: this.requests,
      discovered: this.discovered,
      dead_letters: this.deadLetters,
      bytes: this.bytes,
    };
    for (const [k, v] of Object.entries(this.status)) out[`status_${k}xx`] = v;
    return out;
  }
}
