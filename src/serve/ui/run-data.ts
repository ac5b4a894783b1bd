import { hostname } from 'node:os';
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

  constructor(sc: ServeContext) {
    this.#sc = sc;
  }

  get dataDir(): string {
    return this.#sc.dataDir ?? '.';
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
      e = { db: RunDatabase.open(dir, { threads: 2, memoryLimitMb: 256 }), refreshedAt: Date.now() };
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
