import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import { parquetSchema, writeCompressors, type Column } from '../dataset/index.js';
import { VERSION } from '../version.js';
import { vertexName } from './builder.js';
import { EDGE_COLUMNS, vertexColumns } from './outputs.js';
import type { GraphLevel } from './levels.js';
import type { StoredGraph } from './graph-file.js';

const ROW_GROUP = 1 << 17;

type Chunk = (start: number, end: number) => ColumnSource['data'];

/** One parquet file, a row group at a time (memory: one group's columns), temp name then rename. */
async function writeColumns(path: string, columns: readonly Column[], rows: number, chunk: Record<string, Chunk>, table: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const fh = await open(temp, 'w');
  const sink = new ByteWriter(1 << 20);
  const drain = async (): Promise<void> => {
    if (sink.index > 0) await fh.write(sink.getBytes());
    sink.index = 0;
  };
  try {
    const pq = new ParquetWriter({
      writer: sink,
      schema: parquetSchema(columns),
      codec: 'ZSTD',
      compressors: writeCompressors,
      createdBy: `jarvix version ${VERSION}`,
      kvMetadata: [{ key: 'jarvix.table', value: table }],
    });
    for (let start = 0; start < rows || (start === 0 && rows === 0); start += ROW_GROUP) {
      const end = Math.min(rows, start + ROW_GROUP);
      if (end === start) break;
      await pq.write({ columnData: columns.map((c) => ({ name: c.name, data: chunk[c.name]!(start, end), statistics: c.type !== 'VARCHAR' })), rowGroupSize: end - start });
      await drain();
    }
    await pq.finish();
    await drain();
    await fh.sync();
    await fh.close();
    await rename(temp, path);
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
}

const ints = (a: ArrayLike<number>): Chunk => (s, e) => Int32Array.from({ length: e - s }, (_, i) => a[s + i]!);

export async function writeVerticesParquet(path: string, level: GraphLevel, s: StoredGraph, pagerankPos: Int32Array, harmonicPos: Int32Array): Promise<void> {
  const g = s.graph;
  const degree = (offsets: Uint32Array): Chunk => (st, e) => Int32Array.from({ length: e - st }, (_, i) => offsets[st + i + 1]! - offsets[st + i]!);
  const names: Chunk = (st, e) => Array.from({ length: e - st }, (_, i) => vertexName(s.names, st + i));
  const chunk: Record<string, Chunk> = {
    id: (st, e) => Int32Array.from({ length: e - st }, (_, i) => st + i),
    url: names,
    host_rev: names,
    n_hosts: ints(s.tally),
    in_degree: degree(g.inOffsets),
    out_degree: degree(g.outOffsets),
    pagerank: (st, e) => s.pagerank.slice(st, e),
    harmonic: (st, e) => s.harmonic.slice(st, e),
    pagerank_pos: (st, e) => pagerankPos.slice(st, e),
    harmonic_pos: (st, e) => harmonicPos.slice(st, e),
  };
  await writeColumns(path, vertexColumns(level), g.nodeCount, chunk, 'vertices');
}

export async function writeEdgesParquet(path: string, s: StoredGraph): Promise<void> {
  const g = s.graph;
  const a = s.attributes;
  // from_id of edge i: walk the offsets alongside (edges are in source order).
  const fromIds: Chunk = (st, e) => {
    const out = new Int32Array(e - st);
    let v = upperBound(g.outOffsets, st) - 1;
    for (let i = st; i < e; i++) {
      while (g.outOffsets[v + 1]! <= i) v++;
      out[i - st] = v;
    }
    return out;
  };
  const chunk: Record<string, Chunk> = {
    from_id: fromIds,
    to_id: (st, e) => g.outTargets.slice(st, e),
    count: ints(a.count),
    nofollow: (st, e) => Array.from({ length: e - st }, (_, i) => a.nofollowCount[st + i] === a.count[st + i]),
    nofollow_count: ints(a.nofollowCount),
    redirect: (st, e) => Array.from({ length: e - st }, (_, i) => a.redirect[st + i] === 1),
  };
  await writeColumns(path, EDGE_COLUMNS, g.edgeCount, chunk, 'edges');
}

/** First index whose offset is greater than x. */
function upperBound(offsets: Uint32Array, x: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
