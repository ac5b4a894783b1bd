/**
 * Human progress for long work: a one-line bar redrawn on a terminal, plain periodic lines otherwise
 * (logs, CI). Machine-readable output belongs to the structured logs and metrics, not here.
 */
export interface ProgressSnapshot {
  /** URLs finished in the whole run (all sessions): committed plus finished and awaiting the next checkpoint. */
  done: number;
  total: number;
  /** Run totals, like done (committed rows at start plus this session's). */
  failed: number;
  refused: number;
  /** Page tasks running now. */
  concurrency: number;
  constraint: string;
  pagesPerSecond: number;
  bytes: number;
}

export interface ProgressOptions {
  mode: 'auto' | 'bar' | 'lines' | 'none';
  intervalMs: number;
  stream?: NodeJS.WriteStream;
  label?: string;
}

export class Progress {
  readonly #stream: NodeJS.WriteStream;
  readonly #mode: 'bar' | 'lines' | 'none';
  readonly #label: string;
  readonly #started = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #lastLen = 0;
  #shown: ProgressSnapshot | undefined;

  constructor(readonly snapshot: () => ProgressSnapshot, options: ProgressOptions) {
    this.#stream = options.stream ?? process.stderr;
    this.#label = options.label ?? 'collect';
    this.#mode = options.mode === 'auto' ? (this.#stream.isTTY ? 'bar' : 'lines') : options.mode;
    if (this.#mode !== 'none') {
      this.#timer = setInterval(() => this.render(), this.#mode === 'bar' ? 250 : options.intervalMs);
      this.#timer.unref();
    }
  }

  render(): void {
    if (this.#mode === 'none') return;
    this.#shown = steady(this.#shown, this.snapshot());
    const s = this.#shown;
    const elapsed = (Date.now() - this.#started) / 1000;
    const pct = s.total > 0 ? Math.min(100, (100 * s.done) / s.total) : 0;
    const stats = progressStats(s);
    if (this.#mode === 'bar') {
      const width = 24;
      const filled = Math.round((pct / 100) * width);
      const line = `${this.#label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${stats}`;
      const cols = this.#stream.columns ?? 160;
      const out = line.length > cols - 1 ? line.slice(0, cols - 1) : line;
      this.#stream.write(`\r${out}${' '.repeat(Math.max(0, this.#lastLen - out.length))}`);
      this.#lastLen = out.length;
    } else {
      this.#stream.write(`${this.#label} ${formatDuration(elapsed)} ${stats}\n`);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#mode === 'bar') {
      this.render();
      this.#stream.write('\n');
    }
  }
}

/**
 * Run totals never go backwards on screen. The collector's figures are monotonic by construction
 * (finished URLs count from the moment they finish, through their checkpoint); the one exception is
 * a URL dropped at commit because its lease was about to run out (Redis runs): it is fetched again
 * and counted again, so its first count is kept rather than shown going down and up.
 */
export function steady(prev: ProgressSnapshot | undefined, next: ProgressSnapshot): ProgressSnapshot {
  if (prev === undefined) return next;
  return { ...next, done: Math.max(prev.done, next.done), failed: Math.max(prev.failed, next.failed), refused: Math.max(prev.refused, next.refused), total: Math.max(prev.total, next.total, next.done) };
}

/** The labelled figures of a progress line (pure, for tests). */
export function progressStats(s: ProgressSnapshot): string {
  const pct = s.total > 0 ? Math.min(100, (100 * s.done) / s.total) : 0;
  return (
    `done ${s.done}/${s.total} ${pct.toFixed(1)}% | ${s.pagesPerSecond.toFixed(1)} pages/s | ETA ${eta(s)} | ` +
    `failed ${s.failed} refused ${s.refused} (run totals) | fetching ${s.concurrency} (${s.constraint}) | ${formatBytes(s.bytes)} this session`
  );
}

/**
 * Never "0s" while work remains: when every URL left is already being fetched, the rate says
 * nothing about a slow last page, so the line says what it waits for instead.
 */
export function eta(s: Pick<ProgressSnapshot, 'done' | 'total' | 'concurrency' | 'pagesPerSecond'>): string {
  const remaining = Math.max(0, s.total - s.done);
  if (remaining === 0) return 'done';
  if (s.concurrency > 0 && remaining <= s.concurrency) return `last ${remaining} in flight`;
  if (s.pagesPerSecond <= 0) return '?';
  return formatDuration(Math.max(1, remaining / s.pagesPerSecond));
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
