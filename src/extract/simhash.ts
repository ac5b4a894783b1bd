import { createHash } from 'node:crypto';
import { lowerChars, wordChars } from './word-scan.js';

/** Past this many words the text is long enough to characterise; the rest would only cost time. */
const MAX_TOKENS = 50_000;

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * 64-bit simhash over word 3-shingles (Charikar): near-duplicate pages differ in few bits.
 * Words are hashed case-insensitively straight from the code units (FNV-1a), and each shingle
 * is mixed twice with different seeds for the two 32-bit halves, so nothing is allocated per word.
 */
export function simhash64(text: string): string {
  return fingerprint(text).simhash;
}

/**
 * The simhash and the word count in one pass over the text. Words are runs of letters and
 * digits; for the count, runs joined by one inner `'`, `’` or `-` ("don't", "e-mail") are one word.
 */
export function fingerprint(text: string): { simhash: string; wordCount: number } {
  const word = wordChars();
  const lower = lowerChars();
  const votes = new Votes();
  const n = text.length;
  let a = 0, b = 0; // the two previous words' hashes
  let tokens = 0;
  let joins = 0;
  let i = 0;
  while (i < n) {
    while (i < n && word[text.charCodeAt(i)] === 0) i++;
    if (i >= n) break;
    let h = 0x811c9dc5;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (word[c] === 0) {
        if ((c === 0x27 || c === 0x2019 || c === 0x2d) && word[text.charCodeAt(i + 1)] === 1) joins++;
        break;
      }
      h = Math.imul(h ^ lower[c]!, 0x01000193);
      i++;
    }
    tokens++;
    // Past MAX_TOKENS the text is characterised; only the count goes on.
    if (tokens >= 3 && tokens <= MAX_TOKENS) votes.add(mix(a, b, h, 0x9e3779b1), mix(a, b, h, 0x85ebca77));
    a = b;
    b = h;
  }
  // Short texts have no full shingle; fall back to the words themselves.
  if (tokens === 1) votes.add(mix(0, 0, b, 1), mix(0, 0, b, 2));
  else if (tokens === 2) {
    votes.add(mix(0, 0, a, 1), mix(0, 0, a, 2));
    votes.add(mix(0, 0, b, 1), mix(0, 0, b, 2));
  }
  return { simhash: votes.digest(), wordCount: tokens - joins };
}

/** Order-sensitive combination of three word hashes, finished with murmur3's avalanche. */
function mix(x: number, y: number, z: number, seed: number): number {
  let h = Math.imul(x ^ seed, 0xcc9e2d51);
  h = Math.imul((h << 13) | (h >>> 19), 5) ^ y;
  h = Math.imul((h << 13) | (h >>> 19), 0x1b873593) ^ z;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

const PLANES = 17; // counts up to 2^17 > MAX_TOKENS + 2

/**
 * 64 per-bit counters kept bit-sliced: plane k holds bit k of every counter, so adding a
 * feature is a binary increment with carries (about two steps on average) instead of 64
 * separate additions. A bit of the simhash is set when more than half the features set it.
 */
class Votes {
  readonly #hi = new Int32Array(PLANES);
  readonly #lo = new Int32Array(PLANES);
  #count = 0;

  add(h1: number, h2: number): void {
    this.#count++;
    let x = h1;
    for (let k = 0; x !== 0 && k < PLANES; k++) {
      const carry = this.#hi[k]! & x;
      this.#hi[k]! ^= x;
      x = carry;
    }
    x = h2;
    for (let k = 0; x !== 0 && k < PLANES; k++) {
      const carry = this.#lo[k]! & x;
      this.#lo[k]! ^= x;
      x = carry;
    }
  }

  digest(): string {
    let hi = 0;
    let lo = 0;
    for (let bit = 0; bit < 32; bit++) {
      let ch = 0;
      let cl = 0;
      for (let k = 0; k < PLANES; k++) {
        ch += ((this.#hi[k]! >>> bit) & 1) << k;
        cl += ((this.#lo[k]! >>> bit) & 1) << k;
      }
      if (ch * 2 > this.#count) hi |= 1 << bit;
      if (cl * 2 > this.#count) lo |= 1 << bit;
    }
    return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
  }
}

/** Bits that differ between two simhashes (0 = same, ≤ 3 is a near-duplicate). */
export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}
