import type { Writable } from 'node:stream';
import type { QueryCursor } from '../query-cursor.js';
import { jsonReplacer } from '../values.js';
import { put } from './sink.js';

/**
 * JSON lines (one object per row, newline-terminated) rather than one array: it streams in bounded
 * memory on both ends, and jq, DuckDB's read_json and pandas' read_json(lines=True) read it. Values:
 * numbers, strings, booleans, null; TIMESTAMP as ISO 8601 UTC (`2024-01-02T03:04:05.678Z`); an
 * integer beyond 2^53 as a string. Returns the row count.
 */
export async function writeJsonLines(cursor: QueryCursor, out: Writable): Promise<number> {
  let rows = 0;
  for await (const batch of cursor.batches()) {
    let text = '';
    for (const row of batch) text += `${JSON.stringify(row, jsonReplacer)}\n`;
    rows += batch.length;
    await put(out, text);
  }
  return rows;
}
