import type { Graph } from './csr.js';

export interface HyperBallOptions {
  /** log2 of the HyperLogLog registers per vertex (4..10): 2^log2m bytes per vertex, twice. */
  log2m: number;
  /** Safety stop; the balls stop growing after the graph's diameter anyway. */
  maxIterations: number;
  /** Called after each iteration: distance reached and vertices whose ball still grew. */
  onIteration?: (iteration: number, changed: number) => void;
  /** Seed of the vertex hash, so two runs with different seeds give independent estimates. */
  seed: number;
}

export const HYPERBALL_DEFAULTS: HyperBallOptions = { log2m: 7, maxIterations: 10_000, seed: 0x9e3779b9 };

/** Relative standard error of one HyperLogLog counter with 2^log2m registers (Flajolet et al.). */
export function hyperBallRelativeError(log2m: number): number {
  return 1.04 / Math.sqrt(2 ** log2m);
}

export interface HyperBallResult {
  harmonic: Float64Array;
  iterations: number;
  relativeError: number;
}

/**
 * Approximate harmonic centrality with HyperBall (Boldi & Vigna): every vertex v keeps a
 * HyperLogLog counter of the ball B_t(v) of vertices within t links *to* v; B_{t+1}(v) is the union
 * of B_t(v) and the balls of its in-neighbours, so one round per distance, each a register-wise max
 * over in-edges. H(v) = Σ_t (|B_t(v)| − |B_{t−1}(v)|) / t. Only vertices whose in-neighbours grew in
 * the last round are recomputed, so late rounds cost little. Registers hold ≤ 28 and are compared
 * four at a time inside 32-bit words (their high bits are free, so bytes never borrow).
 */
export function hyperBall(g: Graph, options: Partial<HyperBallOptions> = {}): HyperBallResult {
  const o = { ...HYPERBALL_DEFAULTS, ...options };
  const n = g.nodeCount;
  const b = o.log2m;
  const m = 1 << b;
  const words = m >> 2;
  const cur = new Uint32Array(n * words);
  const next = new Uint32Array(n * words);
  const cur8 = new Uint8Array(cur.buffer);
  const next8 = new Uint8Array(next.buffer);
  const pow = new Float64Array(64);
  for (let r = 0; r < 64; r++) pow[r] = 2 ** -r;
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const estimate = (regs: Uint8Array, v: number): number => {
    let sum = 0;
    let zeros = 0;
    const base = v * m;
    for (let j = 0; j < m; j++) {
      const r = regs[base + j]!;
      sum += pow[r]!;
      if (r === 0) zeros++;
    }
    const e = (alpha * m * m) / sum;
    return e <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : e;
  };

  const est = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const h = mix(v, o.seed);
    const w = (h << b) >>> 0;
    const rho = w === 0 ? 32 - b + 1 : Math.clz32(w) + 1;
    cur8[v * m + (h >>> (32 - b))] = rho;
    next8[v * m + (h >>> (32 - b))] = rho;
    est[v] = estimate(cur8, v);
  }
  const harmonic = new Float64Array(n);
  let modified = new Uint8Array(n).fill(1);
  let grown = new Uint8Array(n);
  const { inOffsets, inSources } = g;
  let t = 0;
  while (t < o.maxIterations) {
    t++;
    let changed = 0;
    for (let v = 0; v < n; v++) {
      const vb = v * words;
      let grew = false;
      const end = inOffsets[v + 1]!;
      for (let i = inOffsets[v]!; i < end; i++) {
        const u = inSources[i]!;
        if (modified[u] === 0) continue;
        const ub = u * words;
        for (let k = 0; k < words; k++) {
          const a = cur[ub + k]!;
          const c = next[vb + k]!;
          // Bytes of a that are ≥ the matching bytes of c get their high bit set in d.
          const d = ((a | 0x80808080) - c) & 0x80808080;
          const mask = Math.imul(d >>> 7, 0xff);
          const r = ((a & mask) | (c & ~mask)) >>> 0;
          if (r !== c) {
            next[vb + k] = r;
            grew = true;
          }
        }
      }
      if (grew) {
        grown[v] = 1;
        changed++;
        const e = estimate(next8, v);
        harmonic[v]! += (e - est[v]!) / t;
        est[v] = e;
      }
    }
    // next holds B_t for every vertex; bring cur up to it where it changed.
    for (let v = 0; v < n; v++) if (grown[v] === 1) cur.set(next.subarray(v * words, (v + 1) * words), v * words);
    o.onIteration?.(t, changed);
    [modified, grown] = [grown, modified];
    grown.fill(0);
    if (changed === 0) break;
  }
  return { harmonic, iterations: t, relativeError: hyperBallRelativeError(b) };
}

/** A well-spread 32-bit hash of a vertex id (MurmurHash3's finalizer over id ^ seed). */
function mix(v: number, seed: number): number {
  let h = (v ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
