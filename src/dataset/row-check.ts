import { describe } from '../errors/index.js';
import { DatasetRowError, DatasetTableError } from './errors.js';
import { TABLE_COLUMNS, TABLE_NAMES, type Column, type ColumnType, type TableName } from './schema.js';

/**
 * Strict writer: every row is checked against schema.ts when it is appended, so a bad value fails at
 * the producer with the table, column and row named, not later inside a checkpoint's shard write.
 * A missing nullable column counts as null; a key the schema lacks is an error (it would be dropped
 * silently otherwise).
 */
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const CHECKS: Record<ColumnType, [check: (v: unknown) => boolean, expected: string]> = {
  VARCHAR: [(v) => typeof v === 'string', 'a string'],
  SMALLINT: [(v) => Number.isInteger(v) && (v as number) >= -32768 && (v as number) <= 32767, 'an integer in -32768..32767'],
  INTEGER: [(v) => Number.isInteger(v) && (v as number) >= -INT32_MAX - 1 && (v as number) <= INT32_MAX, 'a 32-bit integer'],
  BIGINT: [(v) => Number.isSafeInteger(v) || (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX), 'a safe integer or a 64-bit bigint'],
  DOUBLE: [(v) => typeof v === 'number' && Number.isFinite(v), 'a finite number'],
  BOOLEAN: [(v) => typeof v === 'boolean', 'a boolean'],
  TIMESTAMP: [(v) => (v instanceof Date && !Number.isNaN(v.getTime())) || Number.isSafeInteger(v), 'a valid Date or epoch milliseconds'],
};

interface TableCheck {
  readonly columns: readonly Column[];
  readonly known: ReadonlySet<string>;
}

const TABLE_CHECKS = new Map<string, TableCheck>(
  TABLE_NAMES.map((t) => [t, { columns: TABLE_COLUMNS[t], known: new Set(TABLE_COLUMNS[t].map((c) => c.name)) }]),
);

export function assertTableName(table: unknown): asserts table is TableName {
  if (typeof table !== 'string' || !TABLE_CHECKS.has(table)) throw new DatasetTableError(String(table));
}

/** Throws DatasetRowError for the first value that does not fit; checks every row before returning. */
export function checkRows(table: TableName, rows: readonly object[]): void {
  const { columns, known } = TABLE_CHECKS.get(table)!;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown> | null | undefined;
    if (row === null || typeof row !== 'object') throw new DatasetRowError('JVX_ERR_DATASET_ROW_INVALID', table, '*', i, `expected an object, got ${describe(row)}`);
    for (const key in row) {
      if (!known.has(key)) throw new DatasetRowError('JVX_ERR_DATASET_COLUMN_UNKNOWN', table, key, i, 'not a column of this table');
    }
    for (const c of columns) {
      const v = row[c.name];
      if (v === null || v === undefined) {
        if (!c.nullable) throw new DatasetRowError('JVX_ERR_DATASET_ROW_INVALID', table, c.name, i, 'required, got null');
        continue;
      }
      const [check, expected] = CHECKS[c.type];
      if (!check(v)) throw new DatasetRowError('JVX_ERR_DATASET_ROW_INVALID', table, c.name, i, `expected ${expected}, got ${describe(v)}`);
    }
  }
}
