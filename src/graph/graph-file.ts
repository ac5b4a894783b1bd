import { open, readFile, rename, rm } from 'node:fs/promises';
import type { VertexNames } from './builder.js';
import type { EdgeAttributes, Graph } from './csr.js';
import { GraphFileCorruptError } from './errors.js';

/**
 * The graph as one binary file next to the Parquet, for traversal without Parquet decoding: a
 * 64-byte header, then every array of the CSR, the edge attributes, the names and the ranks, each
 * 8-byte aligned, little-endian, in a fixed order. Reading is one readFile and typed-array views
 * over it (no parsing, no copy), so `graph neighbours` answers in milliseconds after the load.
 */
const MAGIC = 'JVXGRAPH';
const VERSION = 1;
const HEADER_BYTES = 64;

export interface StoredGraph {
  readonly graph: Graph;
  readonly attributes: EdgeAttributes;
  readonly names: VertexNames;
  readonly pagerank: Float64Array;
  readonly harmonic: Float64Array;
  readonly tally: Uint32Array;
}

type Section = Uint8Array | Uint32Array | Int32Array | Float64Array;

function sections(s: StoredGraph): Section[] {
  const { graph: g, attributes: a, names } = s;
  return [g.outOffsets, g.outTargets, g.inOffsets, g.inSources, a.count, a.nofollowCount, a.redirect, names.offsets, names.pool, s.pagerank, s.harmonic, s.tally];
}

const pad = (n: number): number => (8 - (n % 8)) % 8;

/** Writes under a temp name, fsyncs, renames: a reader sees the old file or the new, whole. */
export async function writeGraphFile(path: string, s: StoredGraph): Promise<number> {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(VERSION, 8);
  header.writeUInt32LE(s.graph.nodeCount, 12);
  header.writeUInt32LE(s.graph.edgeCount, 16);
  header.writeDoubleLE(s.names.pool.length, 24);
  const temp = `${path}.${process.pid}.tmp`;
  const fh = await open(temp, 'w');
  let bytes = 0;
  try {
    const write = async (data: Uint8Array): Promise<void> => {
      await fh.write(data);
      bytes += data.length;
    };
    await write(header);
    const zeros = new Uint8Array(8);
    for (const section of sections(s)) {
      await write(new Uint8Array(section.buffer, section.byteOffset, section.byteLength));
      const p = pad(section.byteLength);
      if (p > 0) await write(zeros.subarray(0, p));
    }
    await fh.sync();
    await fh.close();
    await rename(temp, path);
    return bytes;
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
}

export async function readGraphFile(path: string): Promise<StoredGraph> {
  let buf: Uint8Array = await readFile(path);
  // Typed-array views need their element alignment; a pooled Buffer may start anywhere.
  if (buf.byteOffset % 8 !== 0) buf = new Uint8Array(buf);
  const corrupt = (why: string): GraphFileCorruptError => new GraphFileCorruptError(path, why);
  if (buf.length < HEADER_BYTES) throw corrupt('shorter than its header');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (Buffer.from(buf.subarray(0, 8)).toString('latin1') !== MAGIC) throw corrupt('not a jarvix graph file');
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw corrupt(`version ${version}, this jarvix reads ${VERSION}`);
  const n = view.getUint32(12, true);
  const e = view.getUint32(16, true);
  const poolBytes = view.getFloat64(24, true);
  let at = buf.byteOffset + HEADER_BYTES;
  const end = buf.byteOffset + buf.byteLength;
  const take = <T extends Section>(Ctor: { new (b: ArrayBufferLike, o: number, l: number): T; BYTES_PER_ELEMENT: number }, length: number): T => {
    const byteLength = length * Ctor.BYTES_PER_ELEMENT;
    if (at + byteLength > end) throw corrupt('truncated');
    const out = new Ctor(buf.buffer, at, length);
    at += byteLength + pad(byteLength);
    return out;
  };
  const outOffsets = take(Uint32Array, n + 1);
  const outTargets = take(Int32Array, e);
  const inOffsets = take(Uint32Array, n + 1);
  const inSources = take(Int32Array, e);
  const count = take(Uint32Array, e);
  const nofollowCount = take(Uint32Array, e);
  const redirect = take(Uint8Array, e);
  const offsets = take(Float64Array, n + 1);
  const pool = take(Uint8Array, poolBytes);
  const pagerank = take(Float64Array, n);
  const harmonic = take(Float64Array, n);
  const tally = take(Uint32Array, n);
  if (at !== end) throw corrupt(`${end - at} bytes past the last section`);
  if (outOffsets[n] !== e || inOffsets[n] !== e || offsets[n] !== poolBytes) throw corrupt('offsets do not match the header');
  return {
    graph: { nodeCount: n, edgeCount: e, outOffsets, outTargets, inOffsets, inSources },
    attributes: { count, nofollowCount, redirect },
    names: { pool, offsets },
    pagerank,
    harmonic,
    tally,
  };
}
