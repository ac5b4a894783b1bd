import { GraphTooLargeError } from './errors.js';

/**
 * A directed graph in compressed sparse row form, both directions: the out-neighbours of v are
 * outTargets[outOffsets[v] .. outOffsets[v+1]), sorted ascending, and inSources likewise for the
 * in-neighbours. Typed arrays only: 10 million edges cost 80 MB, not an object each.
 */
export interface Graph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly outOffsets: Uint32Array;
  readonly outTargets: Int32Array;
  readonly inOffsets: Uint32Array;
  readonly inSources: Int32Array;
}

/** Per-edge attributes, aligned with outTargets: what parallel links were merged into each edge. */
export interface EdgeAttributes {
  /** Links (and redirects) merged into the edge. */
  readonly count: Uint32Array;
  /** How many of them were nofollow. */
  readonly nofollowCount: Uint32Array;
  /** 1 when one of them was a redirect. */
  readonly redirect: Uint8Array;
}

export const FLAG_NOFOLLOW = 1;
export const FLAG_REDIRECT = 2;

/**
 * CSR of an edge list: one counting scatter by source, then each row sorted natively with its
 * target and flags packed in one 32-bit key (target·4 + flags), and runs of equal targets merged
 * into one edge with their count and flags summed. Linear but for the short per-row sorts, and no
 * comparator call per edge. Self-loops are kept: the builder drops self-links before, and the
 * algorithm tests need them. The input arrays are not modified.
 */
export function buildCsr(nodeCount: number, src: Int32Array, dst: Int32Array, flags: Uint8Array | null = null): { graph: Graph; attributes: EdgeAttributes } {
  const m = src.length;
  if (m >= 0xffffffff) throw new GraphTooLargeError('more than 2^32 - 1 edges');
  if (nodeCount > MAX_PACKED) throw new GraphTooLargeError(`more than ${MAX_PACKED} vertices`);
  const start = new Uint32Array(nodeCount + 1);
  for (let i = 0; i < m; i++) start[src[i]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) start[v + 1]! += start[v]!;
  const cursor = start.slice(0, nodeCount);
  const keys = new Uint32Array(m);
  for (let i = 0; i < m; i++) keys[cursor[src[i]!]!++] = dst[i]! * 4 + (flags === null ? 0 : flags[i]!);
  // Merge runs of equal targets in place: the write index never passes the read index.
  const outTargets = new Int32Array(m);
  const count = new Uint32Array(m);
  const nofollowCount = new Uint32Array(m);
  const redirect = new Uint8Array(m);
  const outOffsets = new Uint32Array(nodeCount + 1);
  let w = 0;
  for (let v = 0; v < nodeCount; v++) {
    const a = start[v]!;
    const b = start[v + 1]!;
    if (b - a > 1) keys.subarray(a, b).sort();
    let last = -1;
    for (let i = a; i < b; i++) {
      const k = keys[i]!;
      const t = k >>> 2;
      if (t !== last) {
        outTargets[w++] = t;
        last = t;
      }
      count[w - 1]!++;
      if (k & FLAG_NOFOLLOW) nofollowCount[w - 1]!++;
      if (k & FLAG_REDIRECT) redirect[w - 1] = 1;
    }
    outOffsets[v + 1] = w;
  }
  const targets = outTargets.slice(0, w);
  const { offsets: inOffsets, neighbours: inSources } = transpose(nodeCount, outOffsets, targets);
  return {
    graph: { nodeCount, edgeCount: w, outOffsets, outTargets: targets, inOffsets, inSources },
    attributes: { count: count.slice(0, w), nofollowCount: nofollowCount.slice(0, w), redirect: redirect.slice(0, w) },
  };
}

/** Target and two flag bits share a uint32 key. */
const MAX_PACKED = 2 ** 30;

/** The reverse adjacency: sources ascending within each target, since sources are visited in order. */
function transpose(n: number, offsets: Uint32Array, targets: Int32Array): { offsets: Uint32Array; neighbours: Int32Array } {
  const inOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < targets.length; i++) inOffsets[targets[i]! + 1]!++;
  for (let v = 0; v < n; v++) inOffsets[v + 1]! += inOffsets[v]!;
  const cursor = inOffsets.slice(0, n);
  const sources = new Int32Array(targets.length);
  for (let u = 0; u < n; u++) {
    const end = offsets[u + 1]!;
    for (let i = offsets[u]!; i < end; i++) sources[cursor[targets[i]!]!++] = u;
  }
  return { offsets: inOffsets, neighbours: sources };
}

export function outDegree(g: Graph, v: number): number {
  return g.outOffsets[v + 1]! - g.outOffsets[v]!;
}

export function inDegree(g: Graph, v: number): number {
  return g.inOffsets[v + 1]! - g.inOffsets[v]!;
}
