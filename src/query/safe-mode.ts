import { sep } from 'node:path';
import { StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { TABLE_NAMES } from '../dataset/index.js';
import { QueryUnsafeError } from './errors.js';
import { sqlString } from './views.js';

/**
 * Safe mode (`jarvix query --safe`, `RunDatabase.open(dir, { safe: true })`), for SQL that someone
 * else wrote (a browser asking `jarvix serve`). Two locks, each enough on its own for the file system:
 *
 * - DuckDB's sandbox: `enable_external_access = false` leaves only the run's four table folders
 *   (`allowed_directories`) and the exact files a copyTo() was opened for (`allowed_paths`); no
 *   read_csv('/etc/passwd'), no ATTACH of a file, no INSTALL or LOAD of an extension, no COPY or
 *   EXPORT elsewhere. `lock_configuration = true` then stops any SET from undoing it (or raising
 *   memory_limit, threads, temp_directory).
 * - Statement types: DuckDB's own parser classifies every statement and only SELECT runs (DESCRIBE,
 *   SHOW, SUMMARIZE and `FROM t` are SELECTs). The sandbox alone would still let a COPY overwrite a
 *   shard inside the allowed folders; this refuses COPY, CREATE, SET, ATTACH ':memory:', PRAGMA
 *   with side effects, EXPLAIN ANALYZE (which runs its statement) and the rest.
 */
export async function lockDown(conn: DuckDBConnection, runDir: string, writablePaths: readonly string[], readDirs: readonly string[] = []): Promise<void> {
  const dirs = [...TABLE_NAMES.map((t) => `${runDir}${sep}${t}${sep}`), ...readDirs.map((d) => (d.endsWith(sep) ? d : `${d}${sep}`))];
  await conn.run(`SET allowed_directories = [${dirs.map(sqlString).join(', ')}]`);
  if (writablePaths.length > 0) await conn.run(`SET allowed_paths = [${writablePaths.map(sqlString).join(', ')}]`);
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
}

/** Throws QueryUnsafeError unless every statement of `sql` is a SELECT. Prepares them, runs none. */
export async function assertSelectOnly(conn: DuckDBConnection, sql: string): Promise<void> {
  const extracted = await conn.extractStatements(sql);
  for (let i = 0; i < extracted.count; i++) {
    const prepared = await extracted.prepare(i);
    const type = prepared.statementType;
    prepared.destroySync();
    if (type !== StatementType.SELECT) throw new QueryUnsafeError(`${StatementType[type] ?? type} statements`);
  }
}

/** DuckDB's sandbox refusal ("Permission Error: Cannot access file ..."), seen in safe mode. */
export const isPermissionError = (err: unknown): boolean => err instanceof Error && /^Permission Error/.test(err.message);
