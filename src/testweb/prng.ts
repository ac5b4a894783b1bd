/**
 * Deterministic randomness for the synthetic web. Every decision is a pure function of
 * (seed, host, path, purpose), so the web never has to be held in memory and the same seed
 * always gives the same bytes.
 */

import { hash32 } from '../hash/index.js';

/** A uniform number in [0, 1) for a key: one-shot decisions without building a generator. */
export function unit(seed: number, key: string): number {
  return hash32(key, seed) / 4294967296;
}

/** mulberry32: tiny, fast, good enough for generating text and graphs. */
export class Rng {
  #state: number;
  constructor(state: number) {
    this.#state = state >>> 0;
  }
  static of(seed: number, key: string): Rng {
    return new Rng(hash32(key, seed));
  }
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  range(min: number, maxInclusive: number): number {
    return min + this.int(maxInclusive - min + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  /** Standard normal via Box-Muller. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Power-law-ish index in [0, n): small indices are far more likely (popular pages and hosts). */
  skewed(n: number, exponent = 3): number {
    return Math.min(n - 1, Math.floor(n * Math.pow(this.next(), exponent)));
  }
}
