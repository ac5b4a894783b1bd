import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from './views.js';

/** `jarvix graph` output (docs/graph.md): page level in graph/, host and domain in graph/<level>/. */
const GRAPH_TABLES: readonly [view: string, folder: string][] = [
  ['vertices', 'graph/vertices'],
  ['edges', 'graph/edges'],
  ['host_vertices', 'graph/host/vertices'],
  ['host_edges', 'graph/host/edges'],
  ['domain_vertices', 'graph/domain/vertices'],
  ['domain_edges', 'graph/domain/edges'],
];

/**
 * Views over the link graph's Parquet, for the levels that were built; a level not built has no
 * view, so a query naming it fails with DuckDB's "table does not exist" rather than reading nothing.
 */
export async function createGraphViews(conn: DuckDBConnection, runDir: string): Promise<void> {
  for (const [view, folder] of GRAPH_TABLES) {
    const files = (await readdir(join(runDir, folder)).catch(() => [] as string[])).filter((f) => f.endsWith('.parquet')).map((f) => join(runDir, folder, f));
    if (files.length === 0) await conn.run(`DROP VIEW IF EXISTS ${sqlIdent(view)}`);
    else await conn.run(`CREATE OR REPLACE VIEW ${sqlIdent(view)} AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])`);
  }
}
