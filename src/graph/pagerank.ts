import type { Graph } from './csr.js';

export interface PageRankOptions {
  /** Probability of following a link rather than jumping. */
  damping: number;
  /** Stop when the L1 change of one iteration is below tolerance × nodeCount (networkx's rule). */
  tolerance: number;
  maxIterations: number;
  /** Called after each iteration (progress). */
  onIteration?: (iteration: number, delta: number) => void;
}

export const PAGERANK_DEFAULTS: PageRankOptions = { damping: 0.85, tolerance: 1e-9, maxIterations: 1000 };

export interface PageRankResult {
  /** Sums to 1. */
  rank: Float64Array;
  iterations: number;
  /** L1 change of the last iteration. */
  delta: number;
  converged: boolean;
}

/**
 * PageRank by power iteration, pulled along in-edges (each vertex reads its in-neighbours'
 * contributions: sequential writes, no atomics needed if this ever runs in workers). Parallel
 * edges were merged when the graph was built, so each distinct edge carries equal weight; a
 * self-loop, if the graph has one, is an ordinary edge (networkx does the same). The rank of
 * dangling vertices (no out-edge) is spread uniformly over all vertices, as is the teleport.
 */
export function pageRank(g: Graph, options: Partial<PageRankOptions> = {}): PageRankResult {
  const o = { ...PAGERANK_DEFAULTS, ...options };
  const n = g.nodeCount;
  if (n === 0) return { rank: new Float64Array(0), iterations: 0, delta: 0, converged: true };
  const { outOffsets, inOffsets, inSources } = g;
  const d = o.damping;
  let x = new Float64Array(n).fill(1 / n);
  let y = new Float64Array(n);
  const contrib = new Float64Array(n);
  const invOut = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const deg = outOffsets[v + 1]! - outOffsets[v]!;
    invOut[v] = deg === 0 ? 0 : 1 / deg;
  }
  let iterations = 0;
  let delta = Infinity;
  const threshold = o.tolerance * n;
  while (iterations < o.maxIterations) {
    let dangling = 0;
    for (let v = 0; v < n; v++) {
      const inv = invOut[v]!;
      if (inv === 0) dangling += x[v]!;
      contrib[v] = x[v]! * inv;
    }
    const base = (1 - d) / n + (d * dangling) / n;
    delta = 0;
    for (let v = 0; v < n; v++) {
      let s = 0;
      const end = inOffsets[v + 1]!;
      for (let i = inOffsets[v]!; i < end; i++) s += contrib[inSources[i]!]!;
      const r = base + d * s;
      y[v] = r;
      delta += Math.abs(r - x[v]!);
    }
    [x, y] = [y, x];
    iterations++;
    o.onIteration?.(iterations, delta);
    if (delta < threshold) break;
  }
  return { rank: x, iterations, delta, converged: delta < threshold };
}
