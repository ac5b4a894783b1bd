import type { Graph } from './csr.js';

/**
 * Exact harmonic centrality: H(v) = Σ_{u≠v} 1/d(u, v), distances along links *into* v (how close
 * the rest of the graph is to v), as networkx and Common Crawl define it. One BFS per vertex over
 * out-edges: O(V·(V+E)), for small graphs only (see hyperball.ts beyond).
 */
export function harmonicExact(g: Graph, onSource?: (done: number) => void): Float64Array {
  const n = g.nodeCount;
  const { outOffsets, outTargets } = g;
  const h = new Float64Array(n);
  const seen = new Uint32Array(n);
  const queue = new Int32Array(n);
  const dist = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const stamp = s + 1;
    seen[s] = stamp;
    dist[s] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++]!;
      const du = dist[u]! + 1;
      const end = outOffsets[u + 1]!;
      for (let i = outOffsets[u]!; i < end; i++) {
        const v = outTargets[i]!;
        if (seen[v] === stamp) continue;
        seen[v] = stamp;
        dist[v] = du;
        h[v]! += 1 / du;
        queue[tail++] = v;
      }
    }
    if (onSource && (s & 1023) === 1023) onSource(s + 1);
  }
  return h;
}
