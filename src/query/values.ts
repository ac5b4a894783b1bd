import type { DuckDBValue, JS } from '@duckdb/node-api';

const MIN = BigInt(Number.MIN_SAFE_INTEGER);
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * DuckDB's JS form (JSDuckDBValueConverter: TIMESTAMP → Date, BIGINT → bigint...) made friendlier:
 * a bigint that fits a double exactly becomes a number, so `count(*)` and byte offsets compare with
 * plain numbers; one beyond 2^53 stays a bigint rather than silently losing digits. Lists and structs
 * are converted value by value.
 */
export function jsValue(v: JS): unknown {
  if (typeof v === 'bigint') return v >= MIN && v <= MAX ? Number(v) : v;
  if (v === null || typeof v !== 'object' || v instanceof Date || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(jsValue);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = jsValue(x);
  return out;
}

/** JSON.stringify replacer: a bigint beyond 2^53 becomes a string (JSON has no exact form for it), bytes base64. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return v;
}

/**
 * A value as DuckDB prints it (`2024-01-02 03:04:05.678` for a TIMESTAMP, `[1, 2]` for a list): what
 * DuckDB's own CSV writer puts in a file, so `--format csv` to stdout and `-o x.csv` agree. null for NULL.
 */
export function textValue(v: DuckDBValue): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : String(v);
}
