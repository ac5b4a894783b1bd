import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, JarvixError } from '../errors/index.js';
import { FrontierError } from '../frontier/index.js';
import type { CheckpointRecord, Frontier, FrontierAdd, FrontierCounts, HostKey, HostPolicy, LeasedUrl } from '../frontier/types.js';

/** Codes that mean "the store is away for now": waiting fixes them, failing the run would not. */
const WAITABLE = new Set(['JVX_ERR_FRONTIER_REDIS_UNAVAILABLE', 'JVX_ERR_FRONTIER_REDIS_OOM']);

export interface PatientFrontierOptions {
  /** Where pause and resume notices go (stderr in the CLI). */
  log: (line: string) => void;
  /** Pause between two attempts once a call gave up waiting. */
  retryDelayMs?: number;
}

/**
 * A Frontier that rides out a Redis outage: a call that fails with a waitable code is tried again
 * until it succeeds or the frontier is closed, so the run pauses instead of failing. Safe because
 * every frontier call is idempotent when resent (docs/scale-out.md, "When Redis is unavailable").
 * Prints one notice when the outage starts and one when it ends, whatever the number of callers.
 */
export class PatientFrontier implements Frontier {
  readonly #inner: Frontier;
  readonly #log: (line: string) => void;
  readonly #retryDelayMs: number;
  #waiting = 0;
  #closed = false;
  #giveUpAt = Infinity;

  constructor(inner: Frontier, options: PatientFrontierOptions) {
    this.#inner = inner;
    this.#log = options.log;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
  }

  /** Calls waiting on the store right now (for progress and tests). */
  get paused(): boolean {
    return this.#waiting > 0;
  }

  add(urls: readonly FrontierAdd[]): Promise<number> {
    return this.#call(() => this.#inner.add(urls));
  }
  lease(max: number, options: { now: number; leaseMs: number; worker: string }): Promise<LeasedUrl[]> {
    // Not resent blindly with the old `now`: a lease taken late must expire late too.
    return this.#call(() => this.#inner.lease(max, { ...options, now: Math.max(options.now, Date.now()) }));
  }
  releaseHost(host: HostKey, readyAt: number, slot?: string): Promise<void> {
    return this.#call(() => this.#inner.releaseHost(host, readyAt, slot));
  }
  retry(id: string, notBefore: number): Promise<void> {
    return this.#call(() => this.#inner.retry(id, notBefore));
  }
  setHostPolicy(host: HostKey, policy: HostPolicy): Promise<void> {
    return this.#call(() => this.#inner.setHostPolicy(host, policy));
  }
  getHostPolicy(host: HostKey): Promise<HostPolicy> {
    return this.#call(() => this.#inner.getHostPolicy(host));
  }
  commit(ids: readonly string[], checkpoint: CheckpointRecord): Promise<{ duplicates: string[] }> {
    return this.#call(() => this.#inner.commit(ids, checkpoint));
  }
  lastCheckpoint(worker: string): Promise<CheckpointRecord | undefined> {
    return this.#call(() => this.#inner.lastCheckpoint(worker));
  }
  checkpoints(): Promise<CheckpointRecord[]> {
    return this.#call(() => this.#inner.checkpoints());
  }
  recover(options: { now: number; worker?: string }): Promise<number> {
    return this.#call(() => this.#inner.recover({ ...options, now: Math.max(options.now, Date.now()) }));
  }
  nextReadyAt(): Promise<number | undefined> {
    return this.#call(() => this.#inner.nextReadyAt());
  }
  counts(): Promise<FrontierCounts> {
    return this.#call(() => this.#inner.counts());
  }

  /**
   * The worker is stopping: from `afterMs` on, a call that finds Redis away rejects with
   * JVX_ERR_FRONTIER_REDIS_GAVE_UP instead of waiting on (one signal must end the process in
   * bounded time; what was not committed is fetched again on resume).
   */
  stopWaiting(afterMs: number): void {
    this.#giveUpAt = Math.min(this.#giveUpAt, Date.now() + afterMs);
  }

  /** Stops waiting: calls waiting on an outage reject with JVX_ERR_FRONTIER_CLOSED. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#inner.close();
  }

  async #call<T>(op: () => Promise<T>): Promise<T> {
    let waited = false;
    try {
      for (;;) {
        try {
          return await op();
        } catch (err) {
          if (this.#closed || !WAITABLE.has(errorCode(err))) throw err;
          if (!waited) {
            waited = true;
            if (this.#waiting++ === 0) this.#log(`Redis unavailable at ${endpointOf(err)}, pausing; will resume when it answers again [${errorCode(err)}]`);
          }
          if (Date.now() >= this.#giveUpAt) {
            throw new JarvixError('JVX_ERR_FRONTIER_REDIS_GAVE_UP', `Redis at ${endpointOf(err)} did not answer while the worker was stopping`, { cause: err });
          }
          await sleep(this.#retryDelayMs);
          if (this.#closed) throw new FrontierError('JVX_ERR_FRONTIER_CLOSED', 'the frontier was closed while waiting for Redis');
        }
      }
    } finally {
      if (waited && --this.#waiting === 0 && !this.#closed) this.#log('Redis is back, resuming');
    }
  }
}

function endpointOf(err: unknown): string {
  const e = (err as { endpoint?: unknown } | null)?.endpoint;
  return typeof e === 'string' ? e : 'the configured URL';
}
