/** What a revisit record points back to. */
export interface ArchivedPayload {
  readonly uri: string;
  readonly date: string;
  /** WARC-Record-ID of the original, when known (entries rebuilt from CDXJ do not have it). */
  readonly recordId: string | undefined;
}

/**
 * Payload digest → first capture, bounded: a Map in insertion order used as an LRU. A digest that
 * fell out is simply archived again in full (a missed revisit costs bytes, never correctness).
 */
export class DedupCache {
  readonly #max: number;
  readonly #map = new Map<string, ArchivedPayload>();

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  get(digest: string): ArchivedPayload | undefined {
    const hit = this.#map.get(digest);
    if (hit !== undefined) {
      this.#map.delete(digest);
      this.#map.set(digest, hit);
    }
    return hit;
  }

  set(digest: string, value: ArchivedPayload): void {
    this.#map.delete(digest);
    this.#map.set(digest, value);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }
}
