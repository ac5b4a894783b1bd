import type { Anomalies } from './anomalies.js';
import { isStrictWarcDate } from './warc-date.js';

export const MAX_LINE_BYTES = 64 * 1024;
export const MAX_HEADER_LINES = 1000;
export const MAX_HEADER_BYTES = 1024 * 1024;

/** A WARC record head found whole at the start of a buffer. */
export interface ScannedHead {
  readonly version: string;
  readonly pairs: [string, string][];
  /** Lines without a colon (kept for the anomaly report). */
  readonly bad: string[];
  readonly lfOnly: boolean;
  /** Offset just after the blank line that ends the head. */
  readonly end: number;
}

export function startsWithWarc(buf: Buffer): boolean {
  return buf.length >= 5 && buf[0] === 0x57 && buf[1] === 0x41 && buf[2] === 0x52 && buf[3] === 0x43 && buf[4] === 0x2f;
}

/**
 * Parses a record head in place, synchronously: lines are found with indexOf on the Buffer and
 * only names and values become strings. Undefined unless the buffer starts with `WARC/` and holds
 * the whole head within the limits (the caller then takes the line-by-line path).
 */
export function scanHead(buf: Buffer): ScannedHead | undefined {
  if (!startsWithWarc(buf)) return undefined;
  const limit = Math.min(buf.length, MAX_HEADER_BYTES);
  let nl = buf.indexOf(10);
  if (nl < 0 || nl >= Math.min(limit, MAX_LINE_BYTES)) return undefined;
  let lfOnly = nl === 0 || buf[nl - 1] !== 13;
  const version = buf.toString('latin1', 0, lfOnly ? nl : nl - 1);
  const pairs: [string, string][] = [];
  const bad: string[] = [];
  let a = nl + 1;
  for (;;) {
    nl = buf.indexOf(10, a);
    if (nl < 0 || nl >= limit || nl - a >= MAX_LINE_BYTES || pairs.length >= MAX_HEADER_LINES) return undefined;
    let end = nl;
    if (end > a && buf[end - 1] === 13) end--;
    else lfOnly = true;
    if (end === a) break;
    const c = buf[a];
    const last = pairs.at(-1);
    if ((c === 32 || c === 9) && last) last[1] = `${last[1]} ${buf.toString('utf8', a, end).trim()}`;
    else {
      const colon = buf.indexOf(58, a);
      if (colon <= a || colon >= end) bad.push(buf.toString('utf8', a, end).slice(0, 80));
      else pairs.push([buf.toString('utf8', a, colon).trim(), buf.toString('utf8', colon + 1, end).trim()]);
    }
    a = nl + 1;
  }
  return { version, pairs, bad, lfOnly, end: nl + 1 };
}

/** Counts what a scanned head got wrong (version, lines without a colon, LF endings). */
export function headAnomalies(head: ScannedHead, anomalies: Anomalies, offset: number): void {
  if (!/^WARC\/(0\.\d+|1\.[01])$/.test(head.version)) anomalies.add('unknown-version', offset, head.version.slice(0, 40));
  for (const text of head.bad) anomalies.add('bad-header-line', offset, text);
  if (head.lfOnly) anomalies.add('lf-line-endings', offset, 'header lines end in LF, not CRLF');
}

/** Named-field lookup the field normalization needs (WarcHeaders satisfies it). */
interface FieldSource {
  get(name: string): string | undefined;
}

/**
 * Content-Length, target URI and date of a head, made usable and counted where odd: a missing or
 * bad Content-Length is NaN, `<uri>` loses its brackets, spaces become %20, a non-ISO date counts.
 */
export function recordFields(headers: FieldSource, anomalies: Anomalies, offset: number): { contentLength: number; declared: string | undefined; uri: string | undefined; date: string | undefined } {
  const declared = headers.get('Content-Length');
  const contentLength = declared !== undefined && /^\s*\d+\s*$/.test(declared) ? Number(declared) : NaN;
  if (!Number.isSafeInteger(contentLength)) anomalies.add('missing-content-length', offset, `Content-Length ${JSON.stringify(declared ?? null)}`);
  let uri = headers.get('WARC-Target-URI');
  if (uri !== undefined) {
    if (uri.startsWith('<') && uri.endsWith('>')) {
      anomalies.add('uri-angle-brackets', offset, 'WARC-Target-URI in angle brackets');
      uri = uri.slice(1, -1);
    }
    if (/\s/.test(uri)) {
      anomalies.add('uri-spaces', offset, 'spaces in WARC-Target-URI');
      uri = uri.trim().replace(/\s/g, '%20');
    }
  }
  const date = headers.get('WARC-Date');
  if (date !== undefined && !isStrictWarcDate(date)) anomalies.add('odd-date', offset, `WARC-Date ${JSON.stringify(date.slice(0, 40))}`);
  return { contentLength: Number.isSafeInteger(contentLength) ? contentLength : NaN, declared, uri, date };
}
