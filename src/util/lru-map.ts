/**
 * The one bounded map of jarvix: at most `max` entries, the least recently set or touched one
 * dropped first and handed to `onEvict`. A Map keeps insertion order, so re-inserting on use makes
 * its first key the oldest: O(1) per operation, no extra list. Caches (dedup digests, robots.txt,
 * host health) and open spans live in these: memory stays bounded however long a crawl runs.
 */
export class LruMap<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  readonly #onEvict: (value: V, key: K) => void;

  constructor(max: number, onEvict: (value: V, key: K) => void = () => {}) {
    this.#max = max;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#map.size;
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** The value, without changing its recency. */
  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Like get, and marks the entry as recently used. */
  touch(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  /** Sets the entry as the most recently used; evicts the oldest beyond `max`. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) {
      const [k, v] = this.#map.entries().next().value as [K, V];
      this.#map.delete(k);
      this.#onEvict(v, k);
    }
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** Removes and returns the entry. */
  take(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) this.#map.delete(key);
    return v;
  }

  /** Empties the map, handing every entry to `onEvict`. */
  drain(): void {
    const all = [...this.#map];
    this.#map.clear();
    for (const [k, v] of all) this.#onEvict(v, k);
  }
}
