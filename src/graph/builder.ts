import { buildCsr, FLAG_NOFOLLOW, FLAG_REDIRECT, type EdgeAttributes, type Graph } from './csr.js';
import { Growable } from './growable.js';
import { NameTable } from './name-table.js';

/** Vertex names as UTF-8 in one pool: name of v = pool[offsets[v] .. offsets[v+1]). */
export interface VertexNames {
  readonly pool: Uint8Array;
  readonly offsets: Float64Array;
}

export interface NamedGraph {
  readonly graph: Graph;
  readonly attributes: EdgeAttributes;
  /** Sorted ascending (JS string order), so ids are the same whatever order the shards were read in. */
  readonly names: VertexNames;
  /** What addVertex() tallied per vertex (the hosts of a domain). */
  readonly tally: Uint32Array;
}

export interface BuildCounts {
  /** Links and redirects added (self-links included). */
  links: number;
  /** Of those, dropped because both ends are the same vertex. */
  selfLinks: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Collects vertices and links by name, then builds the CSR. Memory while adding: the name table
 * and 9 bytes per link (two ids and a flag byte); self-links are dropped as they come.
 */
export class GraphBuilder {
  #names: NameTable;
  readonly #src = new Growable(Int32Array, 1 << 16);
  readonly #dst = new Growable(Int32Array, 1 << 16);
  readonly #flags = new Growable(Uint8Array, 1 << 16);
  readonly #tally = new Growable(Uint32Array, 1024);
  readonly counts: BuildCounts = { links: 0, selfLinks: 0 };

  constructor(expectedVertices = 1024) {
    this.#names = new NameTable(expectedVertices);
  }

  get vertexCount(): number {
    return this.#names.size;
  }

  /** Adds a vertex (links add theirs on their own); `tally` is summed per vertex. */
  addVertex(name: string, tally = 0): void {
    const id = this.#names.intern(name);
    if (tally === 0) return;
    const t = this.#tally;
    if (id >= t.length) {
      t.reserve(id + 1);
      t.advance(id + 1 - t.length);
    }
    t.raw[id]! += tally;
  }

  addLink(from: string, to: string, nofollow: boolean, redirect = false): void {
    this.addLinkById(this.#names.intern(from), this.#names.intern(to), nofollow, redirect);
  }

  /** The builder's id of a vertex, for callers that add many links from one page (hash it once). */
  vertexId(name: string): number {
    return this.#names.intern(name);
  }

  /** A link between ids from vertexId(). */
  addLinkById(a: number, b: number, nofollow: boolean, redirect = false): void {
    this.counts.links++;
    if (a === b) {
      this.counts.selfLinks++;
      return;
    }
    this.#src.push(a);
    this.#dst.push(b);
    this.#flags.push((nofollow ? FLAG_NOFOLLOW : 0) | (redirect ? FLAG_REDIRECT : 0));
  }

  /** The graph, vertices renumbered in name order. The builder is spent afterwards. */
  finish(): NamedGraph {
    const n = this.#names.size;
    const table = this.#names;
    const { pool, offsets } = table.takeNames();
    // Decoding every name once and sorting with the engine's own string order is several times
    // faster than a comparator over the byte pool; the strings live only for this step.
    const byName: string[] = new Array(n);
    for (let v = 0; v < n; v++) byName[v] = decoder.decode(pool.subarray(offsets[v]!, offsets[v + 1]!));
    byName.sort();
    // Names are unique (interned), so the new id of a name is its index in byName; the hash table
    // gives its old id back without a Map of strings.
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[table.lookup(byName[i]!)] = i;
    this.#names = new NameTable(0);
    const names = encodeNames(byName);
    const src = this.#src.take();
    const dst = this.#dst.take();
    for (let i = 0; i < src.length; i++) {
      src[i] = perm[src[i]!]!;
      dst[i] = perm[dst[i]!]!;
    }
    const { graph, attributes } = buildCsr(n, src, dst, this.#flags.take());
    const counted = this.#tally.take();
    const tally = new Uint32Array(n);
    for (let v = 0; v < counted.length; v++) tally[perm[v]!] = counted[v]!;
    return { graph, attributes, names, tally };
  }
}

function encodeNames(names: readonly string[]): VertexNames {
  const offsets = new Float64Array(names.length + 1);
  let bytes = 0;
  for (let i = 0; i < names.length; i++) {
    bytes += Buffer.byteLength(names[i]!, 'utf8');
    offsets[i + 1] = bytes;
  }
  const pool = new Uint8Array(bytes);
  for (let i = 0; i < names.length; i++) encoder.encodeInto(names[i]!, pool.subarray(offsets[i]!));
  return { pool, offsets };
}

export function vertexName(names: VertexNames, id: number): string {
  return decoder.decode(names.pool.subarray(names.offsets[id]!, names.offsets[id + 1]!));
}

/** Binary search over the sorted names: the id of `name`, or -1. */
export function findVertex(names: VertexNames, name: string): number {
  let lo = 0;
  let hi = names.offsets.length - 2;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = vertexName(names, mid);
    if (s === name) return mid;
    if (s < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
