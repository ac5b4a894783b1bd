/**
 * Legacy ARC (Internet Archive, 1996–2008) record header lines. An ARC file is a sequence of
 * `<header line>\n<block of Archive-length bytes>\n`, the first record being the
 * `filedesc://` record whose block holds the version block:
 *
 *   v1: url ip-address archive-date content-type archive-length
 *   v2: url ip-address archive-date content-type result-code checksum location offset filename archive-length
 *
 * The reader turns each record into WARC-style named fields (as warcio does), so the rest of the
 * pipeline — index, cat, get — treats it like a WARC `response` (or `warcinfo` for filedesc).
 */

export interface ArcHeader {
  /** 1 or 2, by field count. */
  readonly arcVersion: 1 | 2;
  readonly pairs: [string, string][];
  readonly contentLength: number;
}

// The URL must start like one (scheme:rest) and the date must be CDX digits, so that a body line
// met while skipping garbage is never taken for a record.
const URL_START = /^[a-z][a-z0-9+.-]*:\S+/i;
const DATE_FIELD = /^\d{12,14}$/;
const LENGTH_FIELD = /^\d{1,15}$/;
const RESULT_FIELD = /^(\d{3}|-)$/;
const OFFSET_FIELD = /^(\d{1,15}|-)$/;
const MAX_ARC_LINE_BYTES = 16 * 1024;

/** ARC-Date `yyyyMMddHHmmss` as an ISO WARC-Date (seconds precision). */
function isoDate(d: string): string {
  const p = d.padEnd(14, '0');
  return `${p.slice(0, 4)}-${p.slice(4, 6)}-${p.slice(6, 8)}T${p.slice(8, 10)}:${p.slice(10, 12)}:${p.slice(12, 14)}Z`;
}

interface ArcFields {
  url: string;
  /** The fields after the URL: 4 (v1) or 9 (v2). */
  rest: string[];
}

/**
 * Splits a header line into the URL and the fields after it. The fields after the URL never hold
 * a space, so they are taken from the right and whatever is left is the URL, spaces included (as
 * warcio does: crawlers of the ARC era wrote URLs unescaped). A v2 reading is tried first and must
 * look like one (date, result code, offset), else v1.
 */
function splitArcLine(tokens: readonly string[]): ArcFields | undefined {
  const n = tokens.length;
  if (n >= 10) {
    const rest = tokens.slice(n - 9);
    if (DATE_FIELD.test(rest[1]!) && RESULT_FIELD.test(rest[3]!) && OFFSET_FIELD.test(rest[6]!)) return { url: tokens.slice(0, n - 9).join(' '), rest };
  }
  if (n >= 5) {
    const rest = tokens.slice(n - 4);
    if (DATE_FIELD.test(rest[1]!)) return { url: tokens.slice(0, n - 4).join(' '), rest };
  }
  return undefined;
}

/** Whether a line that did not parse as an ARC header still starts like one (`scheme:… ` … digits). */
export function looksLikeArcHeader(line: Buffer): boolean {
  if (line.length < 12 || line.length > MAX_ARC_LINE_BYTES) return false;
  const text = line.toString('latin1').trimEnd();
  const sp = text.indexOf(' ');
  return sp > 0 && URL_START.test(text.slice(0, sp)) && /^[a-z]+:\/\//i.test(text) && / \d+$/.test(text);
}

/** Parses one ARC URL-record header line (with its `\n`); undefined if it is not one. */
export function parseArcHeaderLine(line: Buffer): ArcHeader | undefined {
  if (line.length < 20 || line.length > MAX_ARC_LINE_BYTES || line[line.length - 1] !== 10) return undefined;
  const c = line[0]!;
  // A letter: every URL scheme starts with one (cheap reject before any string work).
  if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return undefined;
  const text = line.toString('latin1', 0, line.length - (line[line.length - 2] === 13 ? 2 : 1));
  const split = splitArcLine(text.split(' '));
  if (!split) return undefined;
  const { url, rest } = split;
  const [ip, date, mime] = rest as [string, string, string];
  const length = rest[rest.length - 1]!;
  if (!URL_START.test(url) || !LENGTH_FIELD.test(length)) return undefined;
  const filedesc = url.startsWith('filedesc:');
  const pairs: [string, string][] = [
    ['WARC-Type', filedesc ? 'warcinfo' : 'response'],
    ...(filedesc ? [] : ([['WARC-Target-URI', url]] as [string, string][])),
    ['WARC-Date', isoDate(date)],
    ['WARC-IP-Address', ip],
    ['Content-Type', filedesc ? 'text/plain' : mime === '-' || mime === 'no-type' ? 'application/octet-stream' : mime],
    ['Content-Length', length],
    ['ARC-URL', url],
    ['ARC-Content-Type', mime],
  ];
  if (rest.length === 9) {
    const [, , , result, checksum, location, offset, filename] = rest;
    pairs.push(['ARC-Result-Code', result!], ['ARC-Checksum', checksum!], ['ARC-Location', location!], ['ARC-Offset', offset!], ['ARC-Filename', filename!]);
  }
  return { arcVersion: rest.length === 9 ? 2 : 1, pairs, contentLength: Number(length) };
}
