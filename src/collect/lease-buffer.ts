import type { Frontier, LeasedUrl } from '../frontier/types.js';

/** Fewest URLs asked for per lease call (unless `maxBatch` is lower: a pool of that many slots). */
const MIN_BATCH = 8;

/**
 * A small local buffer of leased URLs between the frontier and the pool. It leases about as many
 * URLs as can start now (a lease holds a host slot), at least a small batch per call, and after an
 * empty lease it waits until the frontier says something could be ready, so an idle crawl does not
 * hammer the store.
 */
export class LeaseBuffer {
  readonly #frontier: Frontier;
  readonly #worker: string;
  readonly #leaseMs: number;
  readonly #room: () => number;
  readonly #maxBatch: number;
  readonly #recoverIntervalMs: number;
  #lastRecover = 0;
  #buf: LeasedUrl[] = [];
  /** Leases handed back to wait out a politeness gap, by the time they may start (few: one per host just probed). */
  #deferred: { lease: LeasedUrl; at: number }[] = [];
  #deferTimer: NodeJS.Timeout | undefined;
  readonly #onDeferredReady: () => void;
  #refill: Promise<void> | undefined;
  #notBefore = 0;
  #closed = false;

  /**
   * `recoverIntervalMs`: every refill at least this long after the last one first returns expired
   * leases (any worker's) to the queue, so a dead worker's URLs and host slots come back while the
   * others run. Omitted: never (one process, whose own leases are recovered at start).
   * `onDeferredReady`: a deferred lease is due (the pool should look for work). `maxBatch`: the
   * pool's size; the smallest batch asked for never exceeds it.
   */
  constructor(frontier: Frontier, options: { worker: string; leaseMs: number; room: () => number; recoverIntervalMs?: number; onDeferredReady?: () => void; maxBatch?: number }) {
    this.#onDeferredReady = options.onDeferredReady ?? (() => {});
    this.#frontier = frontier;
    this.#recoverIntervalMs = options.recoverIntervalMs ?? Infinity;
    this.#lastRecover = Date.now();
    this.#worker = options.worker;
    this.#leaseMs = options.leaseMs;
    this.#room = options.room;
    this.#maxBatch = options.maxBatch ?? MIN_BATCH;
  }

  /** Leases held here: ready ones and deferred ones. */
  get size(): number {
    return this.#buf.length + this.#deferred.length;
  }

  /**
   * Keeps a lease (its URL and host slot stay taken) until `at`, then offers it again like a fresh
   * one. The frontier's lease expiry still covers it: deferrals are politeness gaps, far shorter.
   */
  defer(lease: LeasedUrl, at: number): void {
    if (this.#closed) return;
    let i = this.#deferred.length;
    while (i > 0 && this.#deferred[i - 1]!.at > at) i--;
    this.#deferred.splice(i, 0, { lease, at });
    this.#armDeferTimer();
  }

  /** Moves deferred leases whose time has come to the ready buffer; returns how many. */
  #promoteDeferred(now: number): number {
    let n = 0;
    while (n < this.#deferred.length && this.#deferred[n]!.at <= now) n++;
    for (const d of this.#deferred.splice(0, n)) this.#buf.push(d.lease);
    return n;
  }

  /** Wakes the pool (through `onDeferredReady`) when the earliest deferred lease is due. */
  #armDeferTimer(): void {
    if (this.#deferTimer) clearTimeout(this.#deferTimer);
    this.#deferTimer = undefined;
    const first = this.#deferred[0];
    if (!first || this.#closed) return;
    this.#deferTimer = setTimeout(() => {
      this.#deferTimer = undefined;
      // A timer may fire a millisecond early by the wall clock: then nothing is due yet and the
      // timer is simply armed again, without waking the pool for nothing.
      const promoted = this.#promoteDeferred(Date.now());
      this.#armDeferTimer();
      if (promoted > 0) this.#onDeferredReady();
    }, Math.max(0, first.at - Date.now()));
    this.#deferTimer.unref();
  }

  /** Something changed that may make a URL ready (a host was released, URLs were added). */
  poke(): void {
    this.#notBefore = 0;
  }

  close(): LeasedUrl[] {
    this.#closed = true;
    if (this.#deferTimer) clearTimeout(this.#deferTimer);
    this.#deferTimer = undefined;
    const left = [...this.#buf, ...this.#deferred.map((d) => d.lease)];
    this.#buf = [];
    this.#deferred = [];
    return left;
  }

  take(): LeasedUrl | undefined {
    return this.#buf.shift();
  }

  async hasReady(): Promise<boolean> {
    if (this.#closed) return false;
    const now = Date.now();
    this.#promoteDeferred(now);
    if (this.#buf.length > 0) return true;
    if (now < this.#notBefore) return false;
    this.#refill ??= this.#doRefill(now).finally(() => {
      this.#refill = undefined;
    });
    await this.#refill;
    return this.#buf.length > 0;
  }

  async #doRefill(now: number): Promise<void> {
    if (now - this.#lastRecover >= this.#recoverIntervalMs) {
      this.#lastRecover = now;
      await this.#frontier.recover({ now });
    }
    // A lease call costs about the same for 1 URL as for a dozen (one store transaction or Lua
    // call): in steady state one slot frees at a time, so ask for a small batch. The extra leases
    // wait here for a slot (milliseconds at speed); their hosts stay reserved meanwhile.
    const max = Math.max(Math.min(MIN_BATCH, this.#maxBatch), this.#room() - this.#buf.length);
    const leased = await this.#frontier.lease(max, { now, leaseMs: this.#leaseMs, worker: this.#worker });
    if (this.#closed) {
      // Leased after close: hand the slots straight back.
      for (const l of leased) {
        await this.#frontier.retry(l.id, now);
        await this.#frontier.releaseHost(l.host, now, l.slot);
      }
      return;
    }
    this.#buf.push(...leased);
    if (leased.length === 0) {
      const next = await this.#frontier.nextReadyAt();
      // Re-check no later than 200 ms from now: releases by running tasks also poke us.
      this.#notBefore = next === undefined ? now + 200 : Math.min(Math.max(next, now + 5), now + 200);
    }
  }
}
