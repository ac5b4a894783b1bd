import { JSDuckDBValueConverter, type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';
import { QuerySqlError } from './errors.js';
import { jsValue, textValue } from './values.js';

export interface QueryColumn {
  readonly name: string;
  /** DuckDB's type name: 'VARCHAR', 'BIGINT', 'TIMESTAMP', 'DOUBLE', 'INTEGER[]'... */
  readonly type: string;
}

/**
 * One streaming result: the columns are known before any row is read, rows come one DuckDB chunk
 * (about 2048 rows) at a time, so a result of any size costs one chunk of memory. It holds its own
 * connection and gives it back when read to the end, on error, on `break`, or on close(); after that
 * it yields nothing more.
 */
export class QueryCursor implements AsyncIterable<Record<string, unknown>[]> {
  readonly columns: readonly QueryColumn[];
  readonly #result: DuckDBResult;
  readonly #sql: string;
  readonly #names: readonly string[];
  #release: (() => void) | null;

  /** @internal RunDatabase.cursor() makes these. */
  constructor(result: DuckDBResult, sql: string, release: () => void) {
    this.#result = result;
    this.#sql = sql;
    this.#release = release;
    // Duplicate names (`SELECT 1 AS a, 2 AS a`) get DuckDB's suffixes so no value is lost in an object.
    this.#names = result.deduplicatedColumnNames();
    this.columns = this.#names.map((name, i) => ({ name, type: result.columnType(i).toString() }));
  }

  /** Rows as objects of JS values (see jsValue), one batch per chunk. */
  async *batches(): AsyncGenerator<Record<string, unknown>[]> {
    const names = this.#names;
    for await (const chunk of this.#chunks()) {
      const rows = chunk.convertRows(JSDuckDBValueConverter);
      yield rows.map((values) => {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) row[names[i]!] = jsValue(values[i] ?? null);
        return row;
      });
    }
  }

  /** Rows as arrays of DuckDB's text for each value (null for NULL), one batch per chunk: for CSV and tables. */
  async *textRows(): AsyncGenerator<(string | null)[][]> {
    for await (const chunk of this.#chunks()) yield chunk.getRows().map((values) => values.map(textValue));
  }

  [Symbol.asyncIterator](): AsyncGenerator<Record<string, unknown>[]> {
    return this.batches();
  }

  /** Gives the connection back; the rest of the result is dropped. Safe to repeat. */
  close(): void {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async *#chunks(): AsyncGenerator<DuckDBDataChunk> {
    try {
      for (;;) {
        let chunk: DuckDBDataChunk | null;
        try {
          chunk = this.#release ? await this.#result.fetchChunk() : null;
        } catch (err) {
          // Errors can surface while streaming (a failed cast, a shard removed since open...).
          throw new QuerySqlError(this.#sql, err);
        }
        if (!chunk || chunk.rowCount === 0) return;
        yield chunk;
      }
    } finally {
      this.close();
    }
  }
}
