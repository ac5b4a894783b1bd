export { RunDatabase, openRunDatabase } from './run-database.js';
export type { RunDatabaseOptions, CopyFormat } from './run-database.js';
export { QueryCursor } from './query-cursor.js';
export type { QueryColumn } from './query-cursor.js';
export { QueryError, QuerySqlError, QueryEmptyError, QueryUnsafeError, QueryRunNotFoundError, QueryShardsError, QueryClosedError } from './errors.js';
export type { QueryErrorCode } from './errors.js';
