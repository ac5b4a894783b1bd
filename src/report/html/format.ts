/**
 * Numbers as a reader sees them. Every formatter takes null (no data: an empty run, a run where
 * nothing was fetched) and answers a dash, so the report can never print NaN or Infinity.
 */
export const DASH = '—';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function formatInt(v: number | null | undefined): string {
  return finite(v) ? Math.round(v).toLocaleString('en-US') : DASH;
}

/**
 * A stored value shown as it is: 71.25 stays 71.25, 75 stays 75. Ten significant digits hide binary
 * noise (0.1 + 0.2) without rounding away any score jarvix writes.
 */
export function formatExact(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return String(Number(v.toPrecision(10)));
}

export function formatFixed(v: number | null | undefined, digits: number): string {
  return finite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : DASH;
}

/** A ratio 0..1 as a percentage; null when the denominator was zero. */
export function formatPercent(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${(v * 100).toFixed(digits)}%` : DASH;
}

export function formatMs(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  if (Math.abs(v) < 1000) return `${formatExact(Math.round(v * 10) / 10)} ms`;
  if (Math.abs(v) < 120_000) return `${(v / 1000).toFixed(2)} s`;
  if (Math.abs(v) < 7_200_000) return `${(v / 60_000).toFixed(1)} min`;
  return `${(v / 3_600_000).toFixed(1)} h`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  let n = v;
  let unit = 0;
  while (Math.abs(n) >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(n)} B` : `${n.toFixed(1)} ${UNITS[unit]}`;
}

/** A signed difference for the comparison view: +3, −2.5, 0. */
export function formatDelta(v: number | null | undefined, format: (v: number) => string = formatExact): string {
  if (!finite(v)) return DASH;
  if (v === 0) return '±0';
  return v > 0 ? `+${format(v)}` : `−${format(-v)}`;
}

/** a / b, or null when b is 0: the one place a ratio is made. */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

export function formatTime(v: Date | string | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? DASH : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
