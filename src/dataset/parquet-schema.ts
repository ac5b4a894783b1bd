import type { SchemaElement } from 'hyparquet';
import type { Column, ColumnType } from './schema.js';

/**
 * Parquet schema elements derived from schema.ts, so the file layout cannot drift from the column
 * list. Each element carries both the legacy converted_type and the logical_type: old readers
 * (Spark 2, parquet-mr) read the first, DuckDB/Arrow/pandas the second.
 */
const ELEMENTS: Record<ColumnType, Omit<SchemaElement, 'name' | 'repetition_type'>> = {
  VARCHAR: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  // converted_type only: hyparquet-writer's encoding of the INTEGER logical type makes DuckDB
  // reject the whole footer ("TProtocolException: Invalid data"); INT_16 alone reads as SMALLINT
  // everywhere. test/dataset/duckdb-interop.test.ts keeps this honest.
  SMALLINT: { type: 'INT32', converted_type: 'INT_16' },
  INTEGER: { type: 'INT32' },
  BIGINT: { type: 'INT64' },
  DOUBLE: { type: 'DOUBLE' },
  BOOLEAN: { type: 'BOOLEAN' },
  TIMESTAMP: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
};

export function parquetSchema(columns: readonly Column[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((c): SchemaElement => ({ name: c.name, repetition_type: c.nullable ? 'OPTIONAL' : 'REQUIRED', ...ELEMENTS[c.type] })),
  ];
}

/** Plain-text rendering of a column's physical type, for the docs. */
export function parquetTypeLabel(type: ColumnType): string {
  const e = ELEMENTS[type];
  const logical = e.logical_type;
  if (logical?.type === 'TIMESTAMP') return `${e.type} TIMESTAMP(${logical.unit}, UTC)`;
  if (e.converted_type === 'INT_16') return `${e.type} INT(16, signed)`;
  if (logical?.type === 'STRING') return `${e.type} STRING (UTF-8)`;
  return String(e.type);
}
