import type { Frontier, HostPolicy } from '../frontier/types.js';

/**
 * Per-host politeness as the frontier stores it, cached so a page task does not read the store
 * for every URL. Writes go through to the frontier (where other workers see them) and the cache.
 */
export class HostPolicies {
  readonly #frontier: Frontier;
  readonly #cache = new Map<string, HostPolicy>();
  readonly #maxEntries: number;

  constructor(frontier: Frontier, maxEntries = 50_000) {
    this.#frontier = frontier;
    this.#maxEntries = maxEntries;
  }

  async get(host: string): Promise<HostPolicy> {
    let policy = this.#cache.get(host);
    if (!policy) {
      policy = await this.#frontier.getHostPolicy(host);
      if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
      this.#cache.set(host, policy);
    }
    return policy;
  }

  /** A robots.txt Crawl-delay (or another signal) asks for a longer gap: never shortens one. */
  async raiseDelay(host: string, delayMs: number): Promise<HostPolicy> {
    const current = await this.get(host);
    if (delayMs <= current.delayMs) return current;
    const next = { ...current, delayMs };
    this.#cache.set(host, next);
    await this.#frontier.setHostPolicy(host, next);
    return next;
  }
}
