/**
 * Human progress for long work: a one-line bar redrawn on a terminal, plain periodic lines otherwise
 * (logs, CI). Machine-readable output belongs to the structured logs and metrics, not here.
 */
export interface ProgressSnapshot {
  done: number;
  total: number;
  failed: number;
  refused: number;
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
    const s = this.snapshot();
    const elapsed = (Date.now() - this.#started) / 1000;
    const pct = s.total > 0 ? Math.min(100, (100 * s.done) / s.total) : 0;
    const remaining = Math.max(0, s.total - s.done);
    const eta = s.pagesPerSecond > 0 ? formatDuration(remaining / s.pagesPerSecond) : '?';
    const stats =
      `${s.done}/${s.total} ${pct.toFixed(1)}% | ${s.pagesPerSecond.toFixed(1)} pages/s | ETA ${eta} | ` +
      `failed ${s.failed} refused ${s.refused} | conc ${s.concurrency} (${s.constraint}) | ${formatBytes(s.bytes)}`;
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
