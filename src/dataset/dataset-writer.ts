import { mkdir, stat, unlink } from 'node:fs/promises';
import { jarvixChannel } from '../channels/index.js';
import { join } from 'node:path';
import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Checks } from '../options/index.js';
import { DatasetClosedError, ShardMissingError, ShardNameError } from './errors.js';
import { fsyncDir, isNotFound, renameIfExists } from '../fs/index.js';
import { assertTableName, checkRows } from './row-check.js';
import { TABLE_NAMES, type TableName } from './schema.js';
import { parseShardRel, shardFileName, tempRel, WORKER_PATTERN } from './shard-names.js';
import { writeShardFile } from './shard-writer.js';

export interface DatasetWriterOptions {
  /** The run folder (runs/ID); shards go to its pages/, links/, chunks/, errors/. */
  runDir: string;
  /** This process's worker name, part of every shard name: `[A-Za-z0-9_-]+`. */
  worker: string;
  /** Rows per row group (fewer when rowGroupBytes is reached first). */
  rowGroupRows: number;
  /** Approximate value bytes per row group: bounds memory when rows carry big text. */
  rowGroupBytes: number;
  /** A checkpoint with more rows than this for one table writes several shards (`.1`, `.2` parts). */
  maxShardRows: number;
}

const defaults: DatasetWriterOptions = { runDir: '', worker: '', rowGroupRows: 10_000, rowGroupBytes: 64 << 20, maxShardRows: 500_000 };
const checks: Checks<DatasetWriterOptions> = {
  runDir: [is.nonEmptyString, 'a folder path'],
  worker: [(v): v is string => typeof v === 'string' && WORKER_PATTERN.test(v), 'a worker name of letters, digits, - and _'],
  rowGroupRows: [is.int(1, 10_000_000), 'an integer 1..10000000'],
  rowGroupBytes: [is.int(1024, 2 ** 31 - 1), 'an integer 1024..2^31-1'],
  maxShardRows: [is.int(1, Number.MAX_SAFE_INTEGER), 'a positive integer'],
};

const stageChannel = jarvixChannel('datasetStage');

/**
 * The dataset sink of a collect (docs/design.md, "Delivery guarantee"). Rows wait in memory until the
 * checkpoint stages them: each table's rows since the last stage become one shard under a temp name,
 * the checkpoint commits the shard names with the URLs, and publish renames them into view. A shard
 * is never appended to after it is staged, so a crash can only ever leave whole committed shards and
 * temps that recoverShards settles.
 */
export class DatasetWriter {
  readonly #o: DatasetWriterOptions;
  #pending = new Map<TableName, (readonly object[])[]>();
  #inflight = new Set<Promise<unknown>>();
  #closed = false;

  private constructor(o: DatasetWriterOptions) {
    this.#o = o;
  }

  static async open(options: Partial<DatasetWriterOptions> & Pick<DatasetWriterOptions, 'runDir' | 'worker'>): Promise<DatasetWriter> {
    const o = resolveOptions('dataset', defaults, checks, options);
    if (o.runDir === '') throw new InvalidOptionError('dataset.runDir', checks.runDir[1], options.runDir);
    if (o.worker === '') throw new InvalidOptionError('dataset.worker', checks.worker[1], options.worker);
    for (const t of TABLE_NAMES) await mkdir(join(o.runDir, t), { recursive: true });
    return new DatasetWriter(o);
  }

  /** Buffers rows for the next stage; checks every row first, so a bad batch adds nothing. */
  append(table: TableName, rows: readonly object[]): void {
    if (this.#closed) throw new DatasetClosedError();
    assertTableName(table);
    if (rows.length === 0) return;
    checkRows(table, rows);
    let list = this.#pending.get(table);
    if (!list) this.#pending.set(table, (list = []));
    // A copy of the array (not the rows): the caller may reuse its list.
    list.push(rows.slice());
  }

  /**
   * Writes every table that has rows since the last stage to `<table>/.<name>.tmp` (fsynced, with
   * the folder) and returns the final relative names. The rows are taken synchronously on call, so
   * appends made while this runs belong to the next stage.
   */
  stage(seq: number): Promise<{ shards: string[] }> {
    if (this.#closed) return Promise.reject(new DatasetClosedError());
    if (!Number.isSafeInteger(seq) || seq < 1) return Promise.reject(new InvalidOptionError('seq', 'a positive integer', seq));
    const taken = this.#pending;
    this.#pending = new Map();
    const run = this.#stage(seq, taken);
    this.#inflight.add(run);
    void run.finally(() => this.#inflight.delete(run)).catch(() => {});
    return run;
  }

  async #stage(seq: number, taken: Map<TableName, (readonly object[])[]>): Promise<{ shards: string[] }> {
    const started = Date.now();
    const { runDir, worker, maxShardRows, rowGroupRows, rowGroupBytes } = this.#o;
    const shards: string[] = [];
    const written: string[] = [];
    let rows = 0;
    let bytes = 0;
    try {
      for (const table of TABLE_NAMES) {
        const batches = taken.get(table);
        if (!batches) continue;
        const parts = splitParts(batches, maxShardRows);
        for (let p = 0; p < parts.length; p++) {
          const rel = `${table}/${shardFileName(table, worker, seq, p)}`;
          const temp = join(runDir, tempRel(rel));
          written.push(temp);
          const r = await writeShardFile(temp, table, parts[p]!, { rowGroupRows, rowGroupBytes });
          shards.push(rel);
          rows += r.rows;
          bytes += r.bytes;
        }
        await fsyncDir(join(runDir, table));
      }
    } catch (err) {
      await Promise.all(written.map((f) => unlink(f).catch(() => {})));
      throw err;
    }
    if (stageChannel.hasSubscribers) stageChannel.publish({ seq, worker, shards, rows, bytes, durationMs: Date.now() - started });
    return { shards };
  }

  /** Renames staged temps to their final names and fsyncs the folders. Safe to repeat. */
  async publish(shards: readonly string[]): Promise<void> {
    const dirs = new Set<string>();
    for (const rel of shards) {
      const name = parseShardRel(rel);
      if (name.worker !== this.#o.worker || name.compacted) throw new ShardNameError(rel, `not a checkpoint shard of worker ${this.#o.worker}`);
      const final = join(this.#o.runDir, rel);
      if (!(await renameIfExists(join(this.#o.runDir, tempRel(rel)), final))) {
        // Already renamed by an earlier publish (or recoverShards): fine; gone altogether: not fine.
        try {
          await stat(final);
        } catch (err) {
          if (isNotFound(err)) throw new ShardMissingError(rel);
          throw err;
        }
      }
      dirs.add(join(this.#o.runDir, name.table));
    }
    for (const d of dirs) await fsyncDir(d);
  }

  /** Waits for stages in progress; rows never staged are dropped (they were never committed). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inflight]);
    this.#pending.clear();
  }
}

/** Splits buffered batches into shards of at most maxRows rows, slicing arrays, never copying rows. */
function splitParts(batches: readonly (readonly object[])[], maxRows: number): (readonly object[])[][] {
  const parts: (readonly object[])[][] = [[]];
  let room = maxRows;
  for (const batch of batches) {
    let offset = 0;
    while (offset < batch.length) {
      if (room === 0) {
        parts.push([]);
        room = maxRows;
      }
      const take = Math.min(room, batch.length - offset);
      parts.at(-1)!.push(offset === 0 && take === batch.length ? batch : batch.slice(offset, offset + take));
      offset += take;
      room -= take;
    }
  }
  return parts;
}
