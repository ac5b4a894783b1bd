/**
 * A Map that keeps at most `max` entries, dropping the least recently set or touched one and
 * handing it to `onEvict`. Open spans live in these: a start whose end never comes (a crash in
 * the publisher, a lost message) costs one slot until it ages out, never unbounded memory.
 */
export class BoundedMap<K, V> {
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

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) {
      const [k, v] = this.#map.entries().next().value as [K, V];
      this.#map.delete(k);
      this.#onEvict(v, k);
    }
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
