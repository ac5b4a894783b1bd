import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { readCompressors } from './codec.js';
import { covers, parseShardFile, type ShardName } from './shard-names.js';
import { TABLE_COLUMNS, type TableName } from './schema.js';

export interface ReadShardOptions {
  /** Only these columns (all when omitted). */
  columns?: readonly string[];
}

/**
 * Rows of one shard, one batch per row group, so reading costs one row group of memory. Values come
 * back as the writer took them: strings, numbers (BIGINT as number while it is a safe integer,
 * bigint beyond), booleans, null, and timestamps as Date.
 */
export async function* readShard(path: string, o: ReadShardOptions = {}): AsyncGenerator<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const bigints = new Set(Object.values(TABLE_COLUMNS).flat().filter((c) => c.type === 'BIGINT').map((c) => c.name));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({
      file,
      metadata,
      rowStart,
      rowEnd,
      compressors: readCompressors,
      ...(o.columns ? { columns: [...o.columns] } : {}),
    });
    for (const row of rows) {
      for (const k of Object.keys(row)) {
        const v: unknown = row[k];
        if (typeof v === 'bigint' && bigints.has(k) && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) row[k] = Number(v);
      }
    }
    yield rows;
    rowStart = rowEnd;
  }
}

/** Row count from the footer alone. */
export async function shardRowCount(path: string): Promise<number> {
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
  return Number(metadata.num_rows);
}

/**
 * The visible shards of a table: final names only (never temps), minus inputs a compaction already
 * replaced — during the instant between a compaction's rename and the removal of its inputs both
 * exist, and this is what keeps a reader from counting those rows twice. Sorted by worker, then seq.
 */
export async function listShards(runDir: string, table: TableName): Promise<ShardName[]> {
  let files: string[];
  try {
    files = await readdir(join(runDir, table));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const all = files.map(parseShardFile).filter((s): s is ShardName => s !== null && s.table === table);
  const visible = all.filter((s) => !all.some((c) => covers(c, s)));
  return visible.sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : a.first - b.first || a.last - b.last || a.part - b.part));
}

/** Every committed row of a table, batch by batch (one row group at a time). */
export async function* scanTable(runDir: string, table: TableName, o: ReadShardOptions = {}): AsyncGenerator<Record<string, unknown>[]> {
  for (const shard of await listShards(runDir, table)) yield* readShard(join(runDir, shard.rel), o);
}
