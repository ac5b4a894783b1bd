import { LruMap } from '../util/lru-map.js';

/** What a revisit record points back to. */
export interface ArchivedPayload {
  readonly uri: string;
  readonly date: string;
  /** WARC-Record-ID of the original, when known (entries rebuilt from CDXJ do not have it). */
  readonly recordId: string | undefined;
}

/**
 * Payload digest → first capture, bounded (an LRU). A digest that fell out is simply archived again
 * in full (a missed revisit costs bytes, never correctness).
 */
export class DedupCache {
  readonly #lru: LruMap<string, ArchivedPayload>;

  constructor(maxEntries: number) {
    this.#lru = new LruMap(maxEntries);
  }

  get size(): number {
    return this.#lru.size;
  }

  /** A hit counts as use: the digests seen most often stay. */
  get(digest: string): ArchivedPayload | undefined {
    return this.#lru.touch(digest);
  }

  set(digest: string, value: ArchivedPayload): void {
    this.#lru.set(digest, value);
  }
}
