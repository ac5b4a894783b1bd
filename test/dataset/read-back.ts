import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { decompress } from 'zstd-napi';

/**
 * An independent reader for the tests: plain hyparquet with a zstd decompressor of its own, none of
 * src/dataset's reading code, so a writer bug cannot be hidden by a matching reader bug.
 */
export const compressors = { ZSTD: (input: Uint8Array): Uint8Array => decompress(input) };

export async function readParquet(path: string): Promise<{ rows: Record<string, unknown>[]; metadata: FileMetaData }> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const rows = await parquetReadObjects({ file, metadata, compressors });
  return { rows, metadata };
}

/** Final-named shards of a table folder (sorted), as the tests expect to see them. */
export async function finalFiles(runDir: string, table: string): Promise<string[]> {
  try {
    return (await readdir(join(runDir, table))).filter((f) => f.endsWith('.parquet') && !f.startsWith('.')).sort();
  } catch {
    return [];
  }
}

export async function tempFiles(runDir: string, table: string): Promise<string[]> {
  try {
    return (await readdir(join(runDir, table))).filter((f) => f.endsWith('.tmp')).sort();
  } catch {
    return [];
  }
}

/** Every row of a table, shard after shard in name order. */
export async function readTable(runDir: string, table: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const f of await finalFiles(runDir, table)) out.push(...(await readParquet(join(runDir, table, f))).rows);
  return out;
}
