import { open, unlink } from 'node:fs/promises';
import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import { VERSION } from '../version.js';
import { writeCompressors } from './codec.js';
import { parquetSchema } from './parquet-schema.js';
import { TABLE_COLUMNS, type Column, type TableName } from './schema.js';

export interface ShardWriteOptions {
  /** A row group closes at this many rows... */
  rowGroupRows: number;
  /** ...or when its values reach about this many bytes (strings counted by length), whichever comes first. */
  rowGroupBytes: number;
  /** Extra key/value pairs for the file footer. */
  kvMetadata?: { key: string; value: string }[];
}

export type RowBatches = Iterable<readonly object[]> | AsyncIterable<readonly object[]>;

/**
 * Writes one parquet file, one row group at a time: only the current row group's column arrays and
 * its encoded bytes are in memory, and those bytes go to disk before the next group is encoded, so a
 * shard of any size costs one row group of memory. The file is fsynced before this resolves; on
 * failure it is removed. Rows must have passed checkRows (the caller's append did that).
 */
export async function writeShardFile(path: string, table: TableName, batches: RowBatches, o: ShardWriteOptions): Promise<{ rows: number; bytes: number }> {
  const columns = TABLE_COLUMNS[table];
  const fh = await open(path, 'w');
  const sink = new ByteWriter(1 << 20);
  const drain = async (): Promise<void> => {
    if (sink.index > 0) await fh.write(sink.getBytes());
    sink.index = 0;
  };
  let rows = 0;
  try {
    const pq = new ParquetWriter({
      writer: sink,
      schema: parquetSchema(columns),
      codec: 'ZSTD',
      compressors: writeCompressors,
      createdBy: `jarvix version ${VERSION}`,
      kvMetadata: [{ key: 'jarvix.table', value: table }, ...(o.kvMetadata ?? [])],
    });
    let group: object[] = [];
    let groupBytes = 0;
    const flushGroup = async (): Promise<void> => {
      if (group.length === 0) return;
      // The library's own rowGroupSize is bypassed: one write() call is exactly one row group.
      await pq.write({ columnData: columnArrays(columns, group), rowGroupSize: group.length });
      rows += group.length;
      group = [];
      groupBytes = 0;
      await drain();
    };
    for await (const batch of batches) {
      for (const row of batch) {
        group.push(row);
        groupBytes += estimateBytes(columns, row as Record<string, unknown>);
        if (group.length >= o.rowGroupRows || groupBytes >= o.rowGroupBytes) await flushGroup();
      }
    }
    await flushGroup();
    await pq.finish();
    await drain();
    await fh.sync();
    const bytes = sink.offset;
    await fh.close();
    return { rows, bytes };
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw err;
  }
}

function columnArrays(columns: readonly Column[], rows: readonly object[]): ColumnSource[] {
  const n = rows.length;
  return columns.map((c) => {
    const data: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) data[i] = (rows[i] as Record<string, unknown>)[c.name] ?? null;
    // The INT64 encoder wants bigint; rows carry numbers (safe integers, checked on append).
    if (c.type === 'BIGINT') for (let i = 0; i < n; i++) if (typeof data[i] === 'number') data[i] = BigInt(data[i] as number);
    // Min/max statistics let readers skip row groups by fetch_time, status, lengths... For strings
    // they cost a code-point comparison per value (a third of the write time on pages) and prune
    // nothing here, since URLs and text land in shards in crawl order, not sorted.
    return { name: c.name, data, statistics: c.type !== 'VARCHAR' };
  });
}

const stringColumns = new Map<readonly Column[], string[]>();

/** Value bytes of a row, roughly: string lengths plus 8 per other column. */
function estimateBytes(columns: readonly Column[], row: Record<string, unknown>): number {
  let names = stringColumns.get(columns);
  if (!names) stringColumns.set(columns, (names = columns.filter((c) => c.type === 'VARCHAR').map((c) => c.name)));
  let bytes = 8 * (columns.length - names.length);
  for (const name of names) {
    const v = row[name];
    if (typeof v === 'string') bytes += v.length;
  }
  return bytes;
}
