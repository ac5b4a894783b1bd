/** SQL pieces and value conversions shared by the report's queries. */
import { REFUSAL_CODES } from '../../errors/index.js';

/** A refusal is decided before any fetch (policy gate, robots.txt); it is not a failure of the site. */
export const REFUSAL = `(error_code IN (${REFUSAL_CODES.map((c) => `'${c}'`).join(', ')}))`;
export const FAILED = `(error_code IS NOT NULL AND NOT ${REFUSAL})`;
export const ROBOTS = `(error_code = 'JVX_ERR_ROBOTS_DISALLOWED')`;
/** A page with an HTTP answer: its duration_ms is a fetch latency. */
export const ANSWERED = '(fetch_status IS NOT NULL)';

/** Page strings can be huge; the report shows at most this many characters of one. */
export const MAX_TEXT_CHARS = 300;
export const MAX_URL_CHARS = 2000;

/** A count or sum: DuckDB gives numbers (or bigint beyond 2^53); NULL (sum of nothing) is 0. */
export function count(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return 0;
}

/** A measured value that may be absent (avg of no rows): null, never NaN. */
export function maybe(v: unknown): number | null {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

export function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

export function date(v: unknown): Date | null {
  return v instanceof Date && !Number.isNaN(v.getTime()) ? v : null;
}

/** The first row of a result that always has one (an aggregate without GROUP BY). */
export function one(rows: Record<string, unknown>[]): Record<string, unknown> {
  return rows[0] ?? {};
}
