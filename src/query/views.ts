import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryShardsError } from './errors.js';
import { listShards, TABLE_COLUMNS, TABLE_NAMES, type TableName } from '../dataset/index.js';

/** A SQL string literal; paths come from the file system and may hold quotes. */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
export const sqlIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** The committed shards of every table, listed once: what the views read until the next refresh. */
export async function visibleShards(runDir: string): Promise<Record<TableName, string[]>> {
  const out = {} as Record<TableName, string[]>;
  for (const t of TABLE_NAMES) out[t] = (await listShards(runDir, t)).map((s) => join(runDir, s.rel));
  return out;
}

/**
 * Creates (or replaces) the four views. Each exposes exactly the schema.ts columns, in that order and
 * with those types, whatever the files hold: a column that no shard has yet reads as a typed NULL (an
 * older run read by a newer jarvix), a type that differs is cast (timestamps are written as
 * UTC-adjusted TIMESTAMP(MILLIS), which DuckDB reads as TIMESTAMPTZ), and columns the schema does not
 * know are kept after the known ones. A table without shards is an empty typed view, so every query
 * works on an empty or just-started run.
 */
export async function createViews(conn: DuckDBConnection, shards: Record<TableName, readonly string[]>): Promise<void> {
  for (const table of TABLE_NAMES) {
    const files = shards[table];
    const columns = TABLE_COLUMNS[table];
    let select: string;
    if (files.length === 0) {
      select = `SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`).join(', ')} WHERE false`;
    } else {
      // union_by_name: shards written by different jarvix versions may differ in columns.
      const source = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)`;
      const present = await describe(conn, source).catch((err: unknown) => {
        throw new QueryShardsError(table, err);
      });
      const known = new Set(columns.map((c) => c.name));
      const parts = columns.map((c) => {
        const found = present.get(c.name);
        if (found === undefined) return `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`;
        return found === c.type ? sqlIdent(c.name) : `CAST(${sqlIdent(c.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`;
      });
      for (const name of present.keys()) if (!known.has(name)) parts.push(sqlIdent(name));
      select = `SELECT ${parts.join(', ')} FROM ${source}`;
    }
    await conn.run(`CREATE OR REPLACE VIEW ${sqlIdent(table)} AS ${select}`);
  }
}

/** Column name → DuckDB type of a relation, from the parquet footers alone. */
async function describe(conn: DuckDBConnection, source: string): Promise<Map<string, string>> {
  const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const out = new Map<string, string>();
  for (const row of reader.getRowObjectsJS()) out.set(String(row.column_name), String(row.column_type));
  return out;
}
