import { BadTimestampError } from './errors.js';

const DIGITS = /^\d{1,14}$/;

/**
 * A Wayback timestamp (1 to 14 digits, a prefix of yyyyMMddhhmmss) checked and padded: `low` pads
 * with the earliest value of each missing field, `high` with the latest (as pywb reads `from`/`to`).
 */
export function parseTimestamp(ts: string): { low: string; high: string; full: boolean } {
  if (!DIGITS.test(ts)) throw new BadTimestampError(ts);
  const low = (ts + '00000101000000'.slice(ts.length)).slice(0, 14);
  const high = (ts + '99991231235959'.slice(ts.length)).slice(0, 14);
  if (!validDate(low)) throw new BadTimestampError(ts);
  return { low: clamp(low), high: clamp(high), full: ts.length === 14 };
}

function validDate(ts: string): boolean {
  const mo = Number(ts.slice(4, 6));
  const d = Number(ts.slice(6, 8));
  const h = Number(ts.slice(8, 10));
  const mi = Number(ts.slice(10, 12));
  const s = Number(ts.slice(12, 14));
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

/** Month 99 or day 39 from padding a partial stamp: brought back to the last real value. */
function clamp(ts: string): string {
  const mo = Math.min(12, Math.max(1, Number(ts.slice(4, 6))));
  const d = Math.min(31, Math.max(1, Number(ts.slice(6, 8))));
  const h = Math.min(23, Number(ts.slice(8, 10)));
  const mi = Math.min(59, Number(ts.slice(10, 12)));
  const s = Math.min(59, Number(ts.slice(12, 14)));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${ts.slice(0, 4)}${p(mo)}${p(d)}${p(h)}${p(mi)}${p(s)}`;
}

/** Epoch ms of a 14-digit timestamp (UTC). */
export function timestampMs(ts14: string): number {
  return Date.UTC(Number(ts14.slice(0, 4)), Number(ts14.slice(4, 6)) - 1, Number(ts14.slice(6, 8)), Number(ts14.slice(8, 10)), Number(ts14.slice(10, 12)), Number(ts14.slice(12, 14)));
}

/** The 14-digit timestamp of epoch ms. */
export function msTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** RFC 7231 HTTP-date of a 14-digit timestamp (Memento-Datetime, TimeMap `datetime`). */
export function httpDate(ts14: string): string {
  return new Date(timestampMs(ts14)).toUTCString();
}
