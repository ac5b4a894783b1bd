import type { Frontier, LeasedUrl } from '../frontier/types.js';

/**
 * A small local buffer of leased URLs between the frontier and the pool. It leases only about as
 * many URLs as can start now (a lease holds a host slot), and after an empty lease it waits until
 * the frontier says something could be ready, so an idle crawl does not hammer the store.
 */
export class LeaseBuffer {
  readonly #frontier: Frontier;
  readonly #worker: string;
  readonly #leaseMs: number;
  readonly #room: () => number;
  readonly #recoverIntervalMs: number;
  #lastRecover = 0;
  #buf: LeasedUrl[] = [];
  #refill: Promise<void> | undefined;
  #notBefore = 0;
  #closed = false;

  /**
   * `recoverIntervalMs`: every refill at least this long after the last one first returns expired
   * leases (any worker's) to the queue, so a dead worker's URLs and host slots come back while the
   * others run. Omitted: never (one process, whose own leases are recovered at start).
   */
  constructor(frontier: Frontier, options: { worker: string; leaseMs: number; room: () => number; recoverIntervalMs?: number }) {
    this.#frontier = frontier;
    this.#recoverIntervalMs = options.recoverIntervalMs ?? Infinity;
    this.#lastRecover = Date.now();
    this.#worker = options.worker;
    this.#leaseMs = options.leaseMs;
    this.#room = options.room;
  }

  get size(): number {
    return this.#buf.length;
  }

  /** Something changed that may make a URL ready (a host was released, URLs were added). */
  poke(): void {
    this.#notBefore = 0;
  }

  close(): LeasedUrl[] {
    this.#closed = true;
    const left = this.#buf;
    this.#buf = [];
    return left;
  }

  take(): LeasedUrl | undefined {
    return this.#buf.shift();
  }

  async hasReady(): Promise<boolean> {
    if (this.#buf.length > 0) return true;
    if (this.#closed) return false;
    const now = Date.now();
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
    const max = Math.max(1, this.#room() - this.#buf.length);
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
