import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { TABLE_NAMES, type TableName } from '../dataset/index.js';
import { is, resolveOptions, type Checks } from '../options/index.js';
import { QueryClosedError, QueryEmptyError, QueryError, QueryRunNotFoundError, QuerySqlError, QueryUnsafeError } from './errors.js';
import { QueryCursor } from './query-cursor.js';
import { assertSelectOnly, isPermissionError, lockDown } from './safe-mode.js';
import { createViews, sqlString, visibleShards } from './views.js';
import { createGraphViews } from './graph-views.js';

/** Blanks, `;` and comments only: nothing for DuckDB to run. */
const isBlankSql = (sql: string): boolean => sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').replace(/[\s;]/g, '') === '';

export interface RunDatabaseOptions {
  /** DuckDB worker threads. */
  threads: number;
  /**
   * DuckDB's memory limit in MiB; past it, sorts, joins and COPY buffers spill to a temp folder. null:
   * DuckDB's default, 80% of RAM, which it then fills freely (a 1M-row COPY to parquet took ~730 MB).
   */
  memoryLimitMb: number | null;
  /** Parent of the spill folder (one per database, removed on close). */
  tempDir: string;
  /**
   * Safe mode, for SQL someone else wrote (see safe-mode.ts): only SELECT statements, and no file
   * access outside the run's four table folders; no ATTACH, INSTALL, LOAD, COPY or SET.
   */
  safe: boolean;
  /** Safe mode only: the exact files copyTo() may write (they are the only writable paths). */
  copyTargets: readonly string[];
  /** Safe mode only: more folders SELECTs may read (e.g. serve's sorted copies of the run's tables). */
  readDirs: readonly string[];
}

const defaults = (): RunDatabaseOptions => ({ threads: Math.min(4, availableParallelism()), memoryLimitMb: 1024, tempDir: tmpdir(), safe: false, copyTargets: [], readDirs: [] });
const checks: Checks<RunDatabaseOptions> = {
  threads: [is.int(1, 1024), 'an integer 1..1024'],
  memoryLimitMb: [(v): v is number | null => v === null || is.int(64, 2 ** 31)(v), 'null or an integer 64..2^31 (MiB)'],
  tempDir: [is.nonEmptyString, 'a folder path'],
  safe: [is.boolean, 'a boolean'],
  copyTargets: [(v): v is readonly string[] => Array.isArray(v) && v.every((p) => is.nonEmptyString(p)), 'an array of file paths'],
  readDirs: [(v): v is readonly string[] => Array.isArray(v) && v.every((p) => is.nonEmptyString(p)), 'an array of folder paths'],
};

export type CopyFormat = 'parquet' | 'csv';

/**
 * SQL over one run's dataset: an in-memory DuckDB with the views `pages`, `links`, `chunks` and
 * `errors` over the run's committed shards (see views.ts). The shard list is taken at open (and at
 * refresh()), so a collect running at the same time can only add shards this database does not see
 * yet; it never sees a half-written one, since those are temp-named until their checkpoint commits.
 *
 * Each call runs on its own DuckDB connection, so a cursor being read and a query() can overlap.
 */
export class RunDatabase {
  readonly runDir: string;
  readonly safe: boolean;
  readonly #copyTargets: ReadonlySet<string>;
  readonly #instance: DuckDBInstance;
  readonly #spillDir: string;
  readonly #connections = new Set<DuckDBConnection>();
  #shardCounts: Record<TableName, number>;
  #closed = false;

  private constructor(runDir: string, instance: DuckDBInstance, spillDir: string, o: RunDatabaseOptions) {
    this.runDir = runDir;
    this.safe = o.safe;
    this.#copyTargets = new Set(o.copyTargets.map((p) => resolve(p)));
    this.#instance = instance;
    this.#spillDir = spillDir;
    this.#shardCounts = { pages: 0, links: 0, chunks: 0, errors: 0 };
  }

  static async open(runDir: string, options?: Partial<RunDatabaseOptions>): Promise<RunDatabase> {
    const o = resolveOptions('query', defaults(), checks, options);
    const dir = resolve(runDir);
    const found = await stat(dir).catch(() => null);
    if (!found?.isDirectory()) throw new QueryRunNotFoundError(dir);
    const spillDir = join(o.tempDir, `jarvix-query-${randomUUID()}`);
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(o.threads),
      ...(o.memoryLimitMb === null ? {} : { memory_limit: `${o.memoryLimitMb}MiB` }),
      // DuckDB's default spill folder is `.tmp` in the working directory; created only when needed.
      temp_directory: spillDir,
      // A query tool over local files must not reach out to the network to fetch an extension.
      autoinstall_known_extensions: 'false',
    });
    const db = new RunDatabase(dir, instance, spillDir, o);
    try {
      await db.#withConnection(async (conn) => {
        // Timestamps are UTC in the files; show and compute them in UTC whatever the machine's zone.
        // Without the ICU extension there is no TimeZone setting, and DuckDB works in UTC anyway.
        await conn.run("SET GLOBAL TimeZone = 'UTC'").catch(() => {});
        // Locked before the views exist: they are built, and read, under the sandbox.
        if (o.safe) await lockDown(conn, dir, [...db.#copyTargets], o.readDirs.map((d) => resolve(d)));
      });
      await db.refresh();
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  }

  /** Committed shards per table that the views read. */
  get shardCounts(): Readonly<Record<TableName, number>> {
    return { ...this.#shardCounts };
  }

  /** Re-lists the committed shards and rebuilds the views: picks up checkpoints committed since open. */
  async refresh(): Promise<void> {
    const shards = await visibleShards(this.runDir);
    await this.#withConnection(async (conn) => {
      await createViews(conn, shards);
      await createGraphViews(conn, this.runDir);
    });
    this.#shardCounts = Object.fromEntries(TABLE_NAMES.map((t) => [t, shards[t].length])) as Record<TableName, number>;
  }

  /**
   * Every row of the result in memory, as objects of JS values: BIGINT as number when it is a safe
   * integer (bigint beyond), TIMESTAMP as Date, BOOLEAN, DOUBLE and INTEGER as themselves, NULL as
   * null. For big results use cursor() or rows().
   */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const batch of this.rows(sql)) for (const row of batch) out.push(row);
    return out;
  }

  /** The result batch by batch (about 2048 rows each), as query() converts them; memory stays at one batch. */
  async *rows(sql: string): AsyncGenerator<Record<string, unknown>[]> {
    yield* (await this.cursor(sql)).batches();
  }

  /** A streaming result with its column names and types known up front. Read it or close() it. */
  async cursor(sql: string): Promise<QueryCursor> {
    const conn = await this.#connect();
    try {
      await this.#check(conn, sql);
      const result = await conn.stream(sql);
      return new QueryCursor(result, sql, () => this.#disconnect(conn));
    } catch (err) {
      this.#disconnect(conn);
      throw this.#failure(sql, err);
    }
  }

  /**
   * Writes the result of one SELECT straight to a file with DuckDB's own writer (`COPY ... TO`), so no
   * row passes through JS and memory stays bounded whatever the size. Parquet is zstd-compressed;
   * CSV has a header row. Returns the number of rows written.
   */
  async copyTo(sql: string, path: string, format: CopyFormat): Promise<number> {
    const target = resolve(path);
    if (this.safe && !this.#copyTargets.has(target)) throw new QueryUnsafeError(`a copy to ${target}, which is not one of the copyTargets given at open`);
    const options = format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
    // Newlines around the query: a trailing `-- comment` must not swallow the closing parenthesis.
    const body = sql.trim().replace(/;\s*$/, '');
    const copy = `COPY (\n${body}\n) TO ${sqlString(target)} (${options})`;
    return this.#withConnection(async (conn) => {
      try {
        await this.#check(conn, sql);
        return (await conn.run(copy)).rowsChanged;
      } catch (err) {
        throw this.#failure(sql, err);
      }
    });
  }

  /** Closes every connection (open cursors included) and the database, and removes the spill folder. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const conn of this.#connections) conn.disconnectSync();
    this.#connections.clear();
    this.#instance.closeSync();
    await rm(this.#spillDir, { recursive: true, force: true });
  }

  /** An empty query fails here with a clear message (DuckDB says only "Error in native callback"). */
  async #check(conn: DuckDBConnection, sql: string): Promise<void> {
    if (isBlankSql(sql)) throw new QueryEmptyError();
    if (this.safe) await assertSelectOnly(conn, sql);
  }

  #failure(sql: string, err: unknown): QueryError {
    if (err instanceof QueryError) return err;
    if (this.safe && isPermissionError(err)) return new QueryUnsafeError('an access outside the run', err);
    // The node bindings' message when the text holds no statement at all (comments only).
    if (err instanceof Error && err.message === 'Error in native callback') return new QueryEmptyError();
    return new QuerySqlError(sql, err);
  }

  async #connect(): Promise<DuckDBConnection> {
    if (this.#closed) throw new QueryClosedError();
    const conn = await this.#instance.connect();
    this.#connections.add(conn);
    return conn;
  }

  #disconnect(conn: DuckDBConnection): void {
    if (this.#connections.delete(conn)) conn.disconnectSync();
  }

  async #withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.#connect();
    try {
      return await fn(conn);
    } finally {
      this.#disconnect(conn);
    }
  }
}

/** Opens the SQL view of a run folder (`DIR/runs/ID`); close() it when done. */
export function openRunDatabase(runDir: string, options?: Partial<RunDatabaseOptions>): Promise<RunDatabase> {
  return RunDatabase.open(runDir, options);
}
