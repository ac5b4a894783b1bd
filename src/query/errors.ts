import { basename } from 'node:path';
import { JarvixError } from '../errors/index.js';

export type QueryErrorCode =
  | 'JVX_ERR_QUERY_SQL'
  | 'JVX_ERR_QUERY_EMPTY'
  | 'JVX_ERR_QUERY_UNSAFE'
  | 'JVX_ERR_QUERY_RUN_NOT_FOUND'
  | 'JVX_ERR_QUERY_SHARDS_UNREADABLE'
  | 'JVX_ERR_QUERY_OUTPUT_CLOSED'
  | 'JVX_ERR_QUERY_CLOSED';

/** Base of every error `jarvix query` and RunDatabase throw on purpose; branch on `code`. */
export class QueryError extends JarvixError {
  declare readonly code: QueryErrorCode;
  constructor(code: QueryErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** DuckDB refused or failed the statement; the message is DuckDB's own (parser, binder, catalog, IO...). */
export class QuerySqlError extends QueryError {
  readonly sql: string;
  constructor(sql: string, cause: unknown) {
    // The node API prefixes parse errors with its own step name; the rest is DuckDB's message.
    super('JVX_ERR_QUERY_SQL', (cause instanceof Error ? cause.message : String(cause)).replace(/^Failed to extract statements: /, ''), { cause });
    this.sql = sql;
  }
}

export class QueryRunNotFoundError extends QueryError {
  readonly runDir: string;
  constructor(runDir: string) {
    super('JVX_ERR_QUERY_RUN_NOT_FOUND', `run ${basename(runDir)} not found: no folder ${runDir}`);
    this.runDir = runDir;
  }
}

/** DuckDB cannot read the committed shards of a table (damaged file, or one a writer got wrong). */
export class QueryShardsError extends QueryError {
  readonly table: string;
  constructor(table: string, cause: unknown) {
    super('JVX_ERR_QUERY_SHARDS_UNREADABLE', `cannot read the ${table} shards: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.table = table;
  }
}

export class QueryClosedError extends QueryError {
  constructor() {
    super('JVX_ERR_QUERY_CLOSED', 'the run database is closed');
  }
}

/** The reader of the output went away (`jarvix query ... | head`): the CLI stops quietly. */
export class QueryOutputClosedError extends QueryError {
  constructor(cause?: unknown) {
    super('JVX_ERR_QUERY_OUTPUT_CLOSED', 'the output was closed before the result was written', { cause });
  }
}

/** The SQL holds no statement at all (empty, blanks, `;` or comments only). */
export class QueryEmptyError extends QueryError {
  constructor() {
    super('JVX_ERR_QUERY_EMPTY', 'the query is empty: give one SQL statement, e.g. "SELECT count(*) FROM pages"');
  }
}

/** Safe mode refused a statement type or DuckDB's sandbox refused a file, an extension or a setting. */
export class QueryUnsafeError extends QueryError {
  constructor(what: string, cause?: unknown) {
    const detail = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
    super('JVX_ERR_QUERY_UNSAFE', `safe mode allows only SELECT over the run's tables; refused ${what}${detail}`, { cause });
  }
}
