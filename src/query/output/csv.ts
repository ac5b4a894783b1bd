import type { Writable } from 'node:stream';
import type { QueryCursor } from '../query-cursor.js';
import { put } from './sink.js';

/**
 * One CSV field the way DuckDB's `COPY ... (FORMAT csv)` writes it, so stdout and `-o file.csv` agree:
 * NULL is an empty field, an empty string is `""`, and a value holding a comma, a quote or a line
 * break is quoted with inner quotes doubled.
 */
export function csvField(v: string | null): string {
  if (v === null) return '';
  if (v === '' || /[",\r\n]/.test(v)) return `"${v.replaceAll('"', '""')}"`;
  return v;
}

/** Header line, then one line per row, a chunk at a time. Returns the row count. */
export async function writeCsv(cursor: QueryCursor, out: Writable): Promise<number> {
  let rows = 0;
  await put(out, `${cursor.columns.map((c) => csvField(c.name)).join(',')}\n`);
  for await (const batch of cursor.textRows()) {
    let text = '';
    for (const row of batch) text += `${row.map(csvField).join(',')}\n`;
    rows += batch.length;
    await put(out, text);
  }
  return rows;
}
