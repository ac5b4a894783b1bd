import type { Writable } from 'node:stream';
import type { QueryColumn, QueryCursor } from '../query-cursor.js';
import { put } from './sink.js';

export interface TableFormatOptions {
  /** Longer values are cut with '…'. */
  maxColumnWidth: number;
}

const NUMERIC = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(.*\))$/;

/** One line per row, whatever the value holds: line breaks show as '↵', other control characters as '·'. */
function cell(v: string | null): string {
  if (v === null) return 'NULL';
  // eslint-disable-next-line no-control-regex
  return v.replace(/\r?\n/g, '↵').replace(/[\u0000-\u001f\u007f]/g, '·');
}

// Terminal columns a character takes: 0 for combining marks, joiners and variation selectors, 2 for
// East Asian wide characters and emoji, 1 otherwise. A heuristic (no full UAX #11 table), enough to
// keep CJK titles and emoji from shifting the columns.
// Tested one code point at a time, so a class holding variation selectors is what is meant.
// eslint-disable-next-line no-misleading-character-class
const ZERO = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufe00-\ufe0f]$/u;
const WIDE = /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}]$/u;
const charWidth = (ch: string): number => (ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1);
export const displayWidth = (text: string): number => {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
};

function fit(text: string, width: number, right: boolean): string {
  let w = displayWidth(text);
  if (w > width) {
    let cut = '';
    w = 0;
    for (const ch of text) {
      if (w + charWidth(ch) > width - 1) break;
      cut += ch;
      w += charWidth(ch);
    }
    text = `${cut}…`;
    w += 1;
  }
  const pad = ' '.repeat(width - w);
  return right ? pad + text : text + pad;
}

/**
 * A plain text table for a terminal. Column widths come from the header and the first chunk of rows
 * (capped at maxColumnWidth), so the table streams: later rows are cut to the same widths instead of
 * holding the whole result to measure it. Numbers are right-aligned. Returns the row count.
 */
export async function writeTable(cursor: QueryCursor, out: Writable, o: TableFormatOptions): Promise<number> {
  const columns: readonly QueryColumn[] = cursor.columns;
  const right = columns.map((c) => NUMERIC.test(c.type));
  let widths: number[] | null = null;
  let rows = 0;
  const line = (values: readonly string[]): string => `${values.map((v, i) => fit(v, widths![i]!, right[i]!)).join(' | ').trimEnd()}\n`;
  const header = (): string => `${line(columns.map((c) => c.name))}${widths!.map((w) => '-'.repeat(w)).join('-+-')}\n`;
  for await (const batch of cursor.textRows()) {
    const cells = batch.map((row) => row.map(cell));
    if (!widths) {
      widths = columns.map((c, i) => Math.min(o.maxColumnWidth, Math.max(displayWidth(c.name), ...cells.map((r) => displayWidth(r[i]!)))));
      await put(out, header());
    }
    let text = '';
    for (const r of cells) text += line(r);
    rows += batch.length;
    await put(out, text);
  }
  if (!widths) {
    widths = columns.map((c) => Math.min(o.maxColumnWidth, displayWidth(c.name)));
    if (columns.length > 0) await put(out, header());
  }
  await put(out, `(${rows} ${rows === 1 ? 'row' : 'rows'})\n`);
  return rows;
}
