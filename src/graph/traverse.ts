import type { Graph } from './csr.js';

export type Direction = 'out' | 'in' | 'both';
export const DIRECTIONS: readonly Direction[] = ['out', 'in', 'both'];

export interface Neighbourhood {
  /** Vertices within `hops` of the start (start excluded), nearest first, then by id. */
  ids: Int32Array;
  /** Hop distance of each, aligned with ids. */
  hops: Uint8Array;
  /** How many there were before `limit` cut the list. */
  total: number;
}

/**
 * Reusable BFS scratch for one graph: a stamp per vertex instead of a cleared visited set, so a
 * query costs what it visits, not the size of the graph (2-hop queries on a million vertices stay
 * in the microseconds).
 */
export class Traverser {
  readonly graph: Graph;
  readonly #seen: Uint32Array;
  readonly #parent: Int32Array;
  #stamp = 0;
  #queue: Int32Array;

  constructor(graph: Graph) {
    this.graph = graph;
    this.#seen = new Uint32Array(graph.nodeCount);
    this.#parent = new Int32Array(graph.nodeCount);
    this.#queue = new Int32Array(Math.min(graph.nodeCount, 1024));
  }

  #nextStamp(): number {
    if (++this.#stamp === 0xffffffff) {
      this.#seen.fill(0);
      this.#stamp = 1;
    }
    return this.#stamp;
  }

  #push(tail: number, v: number): void {
    if (tail === this.#queue.length) {
      const q = new Int32Array(Math.min(this.graph.nodeCount, this.#queue.length * 2));
      q.set(this.#queue);
      this.#queue = q;
    }
    this.#queue[tail] = v;
  }

  /** Every vertex within `hops` links of `start` along `direction`, at most `limit` returned. */
  neighbours(start: number, hops: number, direction: Direction, limit = Infinity): Neighbourhood {
    const g = this.graph;
    const stamp = this.#nextStamp();
    const seen = this.#seen;
    seen[start] = stamp;
    let head = 0;
    let tail = 0;
    this.#push(tail++, start);
    const levelEnds: number[] = [1];
    for (let h = 1; h <= hops && head < tail; h++) {
      const end = tail;
      while (head < end) {
        const u = this.#queue[head++]!;
        if (direction !== 'in') {
          for (let i = g.outOffsets[u]!; i < g.outOffsets[u + 1]!; i++) {
            const v = g.outTargets[i]!;
            if (seen[v] !== stamp) {
              seen[v] = stamp;
              this.#push(tail++, v);
            }
          }
        }
        if (direction !== 'out') {
          for (let i = g.inOffsets[u]!; i < g.inOffsets[u + 1]!; i++) {
            const v = g.inSources[i]!;
            if (seen[v] !== stamp) {
              seen[v] = stamp;
              this.#push(tail++, v);
            }
          }
        }
      }
      levelEnds.push(tail);
    }
    const total = tail - 1;
    const count = Math.min(total, limit);
    const ids = new Int32Array(count);
    const hopOf = new Uint8Array(count);
    let w = 0;
    for (let h = 1; h < levelEnds.length && w < count; h++) {
      // Within one distance, by id: the same answer whatever order edges were scanned in.
      const level = this.#queue.slice(levelEnds[h - 1], levelEnds[h]).sort();
      for (let i = 0; i < level.length && w < count; i++, w++) {
        ids[w] = level[i]!;
        hopOf[w] = h;
      }
    }
    return { ids, hops: hopOf, total };
  }

  /** A shortest path from `from` to `to` (vertex ids, both ends included), or null when none. */
  path(from: number, to: number, direction: Direction = 'out'): Int32Array | null {
    if (from === to) return Int32Array.of(from);
    const g = this.graph;
    const stamp = this.#nextStamp();
    const seen = this.#seen;
    const parent = this.#parent;
    seen[from] = stamp;
    let head = 0;
    let tail = 0;
    this.#push(tail++, from);
    const visit = (u: number, v: number): boolean => {
      if (seen[v] === stamp) return false;
      seen[v] = stamp;
      parent[v] = u;
      this.#push(tail++, v);
      return v === to;
    };
    while (head < tail) {
      const u = this.#queue[head++]!;
      let found = false;
      if (direction !== 'in') for (let i = g.outOffsets[u]!; i < g.outOffsets[u + 1]! && !found; i++) found = visit(u, g.outTargets[i]!);
      if (direction !== 'out' && !found) for (let i = g.inOffsets[u]!; i < g.inOffsets[u + 1]! && !found; i++) found = visit(u, g.inSources[i]!);
      if (found) {
        const out: number[] = [to];
        for (let v = to; v !== from; ) out.push((v = parent[v]!));
        return Int32Array.from(out.reverse());
      }
    }
    return null;
  }
}
