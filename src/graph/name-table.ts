import { urlHash } from '../frontier/url-hash.js';
import { GraphTooLargeError } from './errors.js';
import { Growable } from './growable.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Ids are int32 and the CSR packs a target with two flag bits into 32 bits. */
export const MAX_VERTICES = 2 ** 30;

/**
 * Vertex names → dense ids without a JS Map of strings: an open-addressing table of 53-bit hashes
 * (Float64Array keys, Int32Array ids) and the names themselves as UTF-8 in one byte pool with an
 * offset per id. A million URLs cost about 8 bytes of table per slot plus their bytes, and no
 * object per name. Two names sharing a 53-bit hash would be merged into one vertex; with n names the
 * chance is about n²/2⁵⁴ (5·10⁻⁵ for a million), the trade the frontier's dedup index makes too.
 */
export class NameTable {
  // Slot i holds [hash + 1, id] at 2i, 2i+1 (0 = empty): one cache line per probe, not two arrays.
  #slots: Float64Array;
  #mask: number;
  #count = 0;
  readonly #pool = new Growable(Uint8Array, 1 << 16);
  readonly #offsets = new Growable(Float64Array, 1024);

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.#slots = new Float64Array(cap * 2);
    this.#mask = cap - 1;
    this.#offsets.push(0);
  }

  get size(): number {
    return this.#count;
  }

  /** The id of `name`, assigning the next one when it is new. */
  intern(name: string): number {
    const key = urlHash(name) + 1;
    const slots = this.#slots;
    let slot = key & this.#mask;
    for (;;) {
      const k = slots[slot * 2]!;
      if (k === 0) break;
      if (k === key) return slots[slot * 2 + 1]!;
      slot = (slot + 1) & this.#mask;
    }
    const id = this.#count++;
    if (id >= MAX_VERTICES) throw new GraphTooLargeError(`more than ${MAX_VERTICES} vertices`);
    slots[slot * 2] = key;
    slots[slot * 2 + 1] = id;
    const pool = this.#pool;
    pool.reserve(pool.length + name.length * 3);
    pool.advance(encoder.encodeInto(name, pool.raw.subarray(pool.length)).written);
    this.#offsets.push(pool.length);
    if (this.#count * 2 > this.#mask + 1) this.#grow();
    return id;
  }

  /** The id of `name`, or -1 when it was never interned. */
  lookup(name: string): number {
    const key = urlHash(name) + 1;
    const slots = this.#slots;
    let slot = key & this.#mask;
    for (;;) {
      const k = slots[slot * 2]!;
      if (k === 0) return -1;
      if (k === key) return slots[slot * 2 + 1]!;
      slot = (slot + 1) & this.#mask;
    }
  }

  /** The names as UTF-8 (pool, offsets with one more entry than names); lookup() still works after. */
  takeNames(): { pool: Uint8Array; offsets: Float64Array } {
    return { pool: this.#pool.take(), offsets: this.#offsets.take() };
  }

  #grow(): void {
    const old = this.#slots;
    const cap = old.length; // slots double: old.length / 2 slots → old.length slots
    const slots = new Float64Array(cap * 2);
    const mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) {
      const k = old[i]!;
      if (k === 0) continue;
      let slot = k & mask;
      while (slots[slot * 2] !== 0) slot = (slot + 1) & mask;
      slots[slot * 2] = k;
      slots[slot * 2 + 1] = old[i + 1]!;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

export function nameAt(pool: Uint8Array, offsets: ArrayLike<number>, id: number): string {
  return decoder.decode(pool.subarray(offsets[id]!, offsets[id + 1]!));
}
