import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { JarvixError } from '../errors/index.js';
import { is, resolveOptions, type Checks } from '../options/index.js';
import { fsyncDir, isNotFound, renameDurable } from '../fs/index.js';
import { TABLE_NAMES, type TableName } from './schema.js';
import { compactedFileName, covers, parseShardFile, parseTempFile, tempRel, type ShardName } from './shard-names.js';
import { listShards, readShard, shardRowCount } from './shard-reader.js';
import { writeShardFile } from './shard-writer.js';

export interface CompactOptions {
  /** Only shards (all parts of one checkpoint together) below this size are merged. */
  smallBytes: number;
  /** A merged shard stops growing at about this size. */
  targetBytes: number;
  rowGroupRows: number;
  rowGroupBytes: number;
}

const defaults: CompactOptions = { smallBytes: 32 << 20, targetBytes: 256 << 20, rowGroupRows: 100_000, rowGroupBytes: 64 << 20 };
const checks: Checks<CompactOptions> = {
  smallBytes: [is.int(1), 'a positive integer'],
  targetBytes: [is.int(1), 'a positive integer'],
  rowGroupRows: [is.int(1, 10_000_000), 'an integer 1..10000000'],
  rowGroupBytes: [is.int(1024, 2 ** 31 - 1), 'an integer 1024..2^31-1'],
};

export interface CompactResult {
  /** Merged shards written. */
  merged: number;
  /** Shards they replaced (now deleted). */
  inputs: number;
  rows: number;
}

/** A checkpoint's shards (its parts) or an earlier compaction: merged whole or not at all. */
interface Unit {
  readonly first: number;
  readonly last: number;
  readonly files: ShardName[];
  bytes: number;
}

/**
 * Merges the many small committed shards one-shard-per-checkpoint produces into few large ones,
 * without ever showing a row twice or losing one. A merged shard is named after the checkpoint range
 * it covers (`pages-w1-000001..000040.parquet`) and replaces every shard of that worker inside the
 * range: it is written under a temp name, fsynced, renamed into view, then its inputs are deleted.
 * Readers (listShards) ignore inputs a visible merge covers, and recoverShards / the next compaction
 * finish deleting them, so a crash at any step leaves the rows exactly once. The newest checkpoint of
 * each worker is left alone, since a running collect may still be publishing its parts. Run one
 * compaction per run at a time; collects may run alongside.
 */
export async function compactShards(runDir: string, options?: Partial<CompactOptions>): Promise<CompactResult> {
  const o = resolveOptions('compact', defaults, checks, options);
  const result: CompactResult = { merged: 0, inputs: 0, rows: 0 };
  for (const table of TABLE_NAMES) {
    await cleanup(runDir, table);
    const shards = await listShards(runDir, table);
    const byWorker = new Map<string, ShardName[]>();
    for (const s of shards) {
      const list = byWorker.get(s.worker) ?? [];
      list.push(s);
      byWorker.set(s.worker, list);
    }
    for (const list of byWorker.values()) {
      for (const group of await plan(runDir, list, o)) {
        const r = await merge(runDir, table, group, o);
        result.merged++;
        result.inputs += r.inputs;
        result.rows += r.rows;
      }
    }
  }
  return result;
}

/** Finishes an interrupted compaction: inputs already covered by a visible merge go, stale merge temps go. */
async function cleanup(runDir: string, table: TableName): Promise<void> {
  const dir = join(runDir, table);
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const finals = files.map(parseShardFile).filter((s): s is ShardName => s !== null);
  const doomed = finals.filter((s) => finals.some((c) => covers(c, s))).map((s) => s.rel);
  for (const t of files.map(parseTempFile)) if (t?.compacted) doomed.push(tempRel(t.rel));
  for (const rel of doomed) await unlink(join(runDir, rel)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
  if (doomed.length > 0) await fsyncDir(dir);
}

/** Runs of consecutive small units (a big one breaks a run), cut at targetBytes, at least two files each. */
async function plan(runDir: string, shards: readonly ShardName[], o: CompactOptions): Promise<Unit[][]> {
  const units: Unit[] = [];
  for (const s of shards) {
    const bytes = (await stat(join(runDir, s.rel))).size;
    const prev = units.at(-1);
    if (prev && prev.first === s.first && prev.last === s.last) {
      prev.files.push(s);
      prev.bytes += bytes;
    } else {
      units.push({ first: s.first, last: s.last, files: [s], bytes });
    }
  }
  units.pop(); // the newest checkpoint: its later parts may not be published yet
  const groups: Unit[][] = [];
  let run: Unit[] = [];
  let runBytes = 0;
  const close = (): void => {
    if (run.reduce((n, u) => n + u.files.length, 0) >= 2) groups.push(run);
    run = [];
    runBytes = 0;
  };
  for (const u of units) {
    if (u.bytes >= o.smallBytes) {
      close();
      continue;
    }
    if (runBytes + u.bytes > o.targetBytes) close();
    run.push(u);
    runBytes += u.bytes;
  }
  close();
  return groups;
}

async function merge(runDir: string, table: TableName, group: readonly Unit[], o: CompactOptions): Promise<{ inputs: number; rows: number }> {
  const inputs = group.flatMap((u) => u.files);
  const first = inputs[0]!;
  const rel = `${table}/${compactedFileName(table, first.worker, group[0]!.first, group.at(-1)!.last)}`;
  const temp = join(runDir, tempRel(rel));
  let expected = 0;
  for (const s of inputs) expected += await shardRowCount(join(runDir, s.rel));
  async function* rows(): AsyncGenerator<Record<string, unknown>[]> {
    for (const s of inputs) yield* readShard(join(runDir, s.rel));
  }
  const written = await writeShardFile(temp, table, rows(), {
    rowGroupRows: o.rowGroupRows,
    rowGroupBytes: o.rowGroupBytes,
    kvMetadata: [{ key: 'jarvix.compacted_from', value: JSON.stringify(inputs.map((s) => s.rel)) }],
  });
  if (written.rows !== expected) {
    await unlink(temp).catch(() => {});
    throw new JarvixError('JVX_ERR_DATASET_CORRUPT', `compaction of ${rel} read ${written.rows} rows, the inputs' footers say ${expected}`);
  }
  const dir = join(runDir, table);
  await renameDurable(temp, join(runDir, rel)); // writeShardFile fsynced the bytes
  for (const s of inputs) await unlink(join(runDir, s.rel));
  await fsyncDir(dir);
  return { inputs: inputs.length, rows: written.rows };
}
