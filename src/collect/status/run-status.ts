import { JarvixError } from '../../errors/index.js';
import type { CheckpointRecord } from '../../frontier/types.js';
import { SUPERSEDES } from '../checkpointer.js';

/** `jarvix status`: progress of one run across all its workers. */
export interface RunStatus {
  run: string;
  store: 'redis' | 'sqlite';
  /** Epoch ms the figures were read. */
  at: number;
  done: number;
  pending: number;
  /** Leased by some worker: being fetched, or waiting for its checkpoint. */
  inFlight: number;
  total: number;
  hosts: {
    /** Hosts with a URL that could start now. */
    ready: number;
    /** Hosts with pending URLs held back by politeness: their delay, Crawl-delay, Retry-After or backoff runs. */
    waiting: number;
  };
  workers: WorkerStatus[];
}

export interface WorkerStatus {
  worker: string;
  checkpoints: number;
  /** URLs this worker committed (duplicates it lost to another worker left out). */
  done: number;
  firstAt: number;
  lastAt: number;
  /** Committed URLs per second over the last `RATE_WINDOW_MS` before `at` (0 for an idle worker). */
  pagesPerSecond: number;
}

export const RATE_WINDOW_MS = 60_000;

export class StatusRunNotFoundError extends JarvixError {
  readonly run: string;
  constructor(run: string, where: string) {
    super('JVX_ERR_STATUS_RUN_NOT_FOUND', `no run ${run} in ${where}`);
    this.run = run;
  }
}

/** Folds checkpoint records (any order, streamed) into per-worker figures in memory bounded by the worker count. */
export class WorkerTally {
  readonly #now: number;
  readonly #workers = new Map<string, WorkerStatus & { recent: number }>();

  constructor(now: number) {
    this.#now = now;
  }

  add(r: CheckpointRecord): void {
    let w = this.#workers.get(r.worker);
    if (w === undefined) {
      w = { worker: r.worker, checkpoints: 0, done: 0, firstAt: r.at, lastAt: r.at, pagesPerSecond: 0, recent: 0 };
      this.#workers.set(r.worker, w);
    }
    const urls = (r.counts.urls ?? 0) - (r.counts.duplicates ?? 0);
    w.checkpoints += r.counts[SUPERSEDES] === undefined ? 1 : 0;
    w.done += urls;
    w.firstAt = Math.min(w.firstAt, r.at);
    w.lastAt = Math.max(w.lastAt, r.at);
    if (r.at > this.#now - RATE_WINDOW_MS) w.recent += urls;
  }

  result(): WorkerStatus[] {
    return [...this.#workers.values()]
      .map(({ recent, ...w }) => ({ ...w, pagesPerSecond: recent / (Math.min(RATE_WINDOW_MS, Math.max(1_000, this.#now - w.firstAt)) / 1000) }))
      .sort((a, b) => a.worker.localeCompare(b.worker));
  }
}

/** The human form of `jarvix status`. */
export function formatStatus(s: RunStatus): string {
  const pct = s.total > 0 ? ` (${((100 * s.done) / s.total).toFixed(1)}%)` : '';
  const lines = [
    `run ${s.run} (${s.store})`,
    // Leased counts more than the fetches running: each worker leases ahead (up to its --concurrent)
    // and keeps finished URLs leased until their checkpoint commits, so it can pass the ceiling.
    `  done ${s.done} of ${s.total}${pct}; pending ${s.pending}; in flight ${s.inFlight} (leased: being fetched, buffered to fetch next, or finished and awaiting their checkpoint)`,
    `  hosts: ${s.hosts.ready} ready, ${s.hosts.waiting} waiting on politeness`,
    `  workers: ${s.workers.length}`,
  ];
  for (const w of s.workers) {
    const ago = Math.max(0, Math.round((s.at - w.lastAt) / 1000));
    lines.push(`    ${w.worker}: done ${w.done}, ${w.pagesPerSecond.toFixed(1)} pages/s (last minute), ${w.checkpoints} checkpoints, last ${ago} s ago`);
  }
  return `${lines.join('\n')}\n`;
}
