import { mkdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { commitFile } from '../../fs/index.js';
import { RunDatabase } from '../../query/index.js';
import { sqlString } from '../../query/views.js';
import { readManifest, runPaths, type RunManifest } from '../../run/index.js';
import { UiRunNotServedError } from './errors.js';
import type { ServeContext } from '../context.js';

export { sqlString };

/** Aggregate results remembered (each a bounded result: top-N rows). */
const MAX_AGGREGATES = 256;

/**
 * One open RunDatabase per served run, opened on first use and kept: its views list the run's
 * committed shards, refreshed at most every few seconds so a collect running on the same folder
 * shows up. DuckDB reads the Parquet files per query; nothing of the run is held in memory.
 */
export class RunData {
  readonly #sc: ServeContext;
  readonly #dbs = new Map<string, { db: Promise<RunDatabase>; refreshedAt: number }>();
  readonly #aggregates = new Map<string, Promise<Record<string, unknown>[]>>();
  readonly #sorted = new Map<string, 'building' | 'ready'>();
  #building: Promise<void> = Promise.resolve();

  constructor(sc: ServeContext) {
    this.#sc = sc;
  }

  get dataDir(): string {
    return this.#sc.dataDir ?? '.';
  }

  get #cacheDir(): string {
    return join(this.dataDir, 'cache', 'ui');
  }

  get runs(): readonly string[] {
    return this.#sc.runs ?? [];
  }

  dir(run: string): string {
    if (!this.runs.includes(run) || !this.#sc.dataDir) throw new UiRunNotServedError(run);
    return runPaths(this.#sc.dataDir, run).root;
  }

  async manifest(run: string): Promise<RunManifest | undefined> {
    return readManifest(runPaths(this.#sc.dataDir ?? '.', run).manifest).catch(() => undefined);
  }

  async db(run: string): Promise<RunDatabase> {
    const dir = this.dir(run);
    let e = this.#dbs.get(run);
    if (!e) {
      // Safe mode (docs/query.md): the views build SQL from what a browser sent, so that SQL may read
      // the run's tables and the sorted copies below, and nothing else; only SELECT runs.
      e = { db: RunDatabase.open(dir, { threads: 2, memoryLimitMb: 256, safe: true, readDirs: [this.#cacheDir] }), refreshedAt: Date.now() };
      this.#dbs.set(run, e);
      e.db.catch(() => this.#dbs.delete(run));
    } else if (Date.now() - e.refreshedAt > 5000) {
      e.refreshedAt = Date.now();
      const db = await e.db;
      await db.refresh();
      return db;
    }
    return e.db;
  }

  async query(run: string, sql: string): Promise<Record<string, unknown>[]> {
    return (await this.db(run)).query(sql);
  }

  /**
   * An aggregate over the whole run, remembered until the run's shard list changes (a checkpoint
   * of a running collect): the overview's counts cost one scan per checkpoint, not per request.
   */
  async aggregate(run: string, sql: string): Promise<Record<string, unknown>[]> {
    const db = await this.db(run);
    const key = `${run}\n${JSON.stringify(db.shardCounts)}\n${sql}`;
    let hit = this.#aggregates.get(key);
    if (!hit) {
      if (this.#aggregates.size >= MAX_AGGREGATES) this.#aggregates.delete(this.#aggregates.keys().next().value!);
      hit = db.query(sql);
      this.#aggregates.set(key, hit);
      hit.catch(() => this.#aggregates.delete(key));
    }
    return hit;
  }

  /**
   * The relation point lookups read for `table` keyed by `column`: a copy of the table sorted by
   * that column, kept in `<data>/cache/ui/` per shard list, once built; the live view until then.
   * Sorted, Parquet's per-row-group min/max let DuckDB skip all but one small row group for
   * `column = X` or `column > after ORDER BY column`, where the crawl-ordered shards must be read
   * whole. The copy is built in the background by DuckDB (spilling to disk, memory capped), never
   * on a request's path.
   */
  async sorted(run: string, table: 'pages' | 'chunks' | 'links', column: string): Promise<string> {
    const db = await this.db(run);
    const key = `${table}-by-${column}-${run}-${Object.values(db.shardCounts).join('-')}`;
    const file = join(this.dataDir, 'cache', 'ui', `${key}.parquet`);
    const state = this.#sorted.get(key);
    if (state === 'ready') return `read_parquet(${sqlString(file)})`;
    if (state === undefined) {
      this.#sorted.set(key, 'building');
      // One build at a time: each is a full sort of a table.
      this.#building = this.#building.then(async () => {
        if (!(await stat(file).catch(() => null))) {
          await mkdir(this.#cacheDir, { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          // The copy is the server's own fixed SQL (no browser input): a database of its own, not in
          // safe mode, writes it. Small row groups: a lookup reads one of them (8,192 rows).
          const writer = await RunDatabase.open(this.dir(run), { threads: 1, memoryLimitMb: 256 });
          try {
            await writer.query(`COPY (SELECT * FROM ${table} ORDER BY ${column}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 8192)`);
          } finally {
            await writer.close();
          }
          await commitFile(tmp, file);
        }
        this.#sorted.set(key, 'ready');
      }).catch((err: unknown) => {
        process.emitWarning(`jarvix serve: cannot build ${key}: ${(err as Error).message}`);
        void rm(`${file}.${process.pid}.tmp`, { force: true });
      });
    }
    return table;
  }

  pagesByUrl(run: string): Promise<string> {
    return this.sorted(run, 'pages', 'url');
  }

  async close(): Promise<void> {
    for (const e of this.#dbs.values()) await (await e.db.catch(() => undefined))?.close();
    this.#dbs.clear();
  }
}

/** Run state as the UI shows it: a manifest saying running whose collect is gone reads as interrupted. */
export function runState(m: RunManifest | undefined): string {
  if (!m) return 'unknown';
  if (m.status !== 'running') return m.status;
  const open = m.sessions.at(-1);
  // Another machine's collect (scale-out) cannot be checked from here: trust its manifest.
  if (open && open.finishedAt === null && open.host !== hostname()) return 'running';
  if (open && open.finishedAt === null && open.pid > 0) {
    try {
      process.kill(open.pid, 0);
      return 'running';
    } catch {
      return 'interrupted';
    }
  }
  return 'interrupted';
}
