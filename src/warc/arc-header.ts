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

// The URL field must look like one (scheme:rest) and the date must be CDX digits, so that a body
// line met while skipping garbage is never taken for a record.
const URL_FIELD = /^[a-z][a-z0-9+.-]*:\S+$/i;
const DATE_FIELD = /^\d{12,14}$/;
const LENGTH_FIELD = /^\d{1,15}$/;
const MAX_ARC_LINE_BYTES = 16 * 1024;

/** ARC-Date `yyyyMMddHHmmss` as an ISO WARC-Date (seconds precision). */
function isoDate(d: string): string {
  const p = d.padEnd(14, '0');
  return `${p.slice(0, 4)}-${p.slice(4, 6)}-${p.slice(6, 8)}T${p.slice(8, 10)}:${p.slice(10, 12)}:${p.slice(12, 14)}Z`;
}

/** Parses one ARC URL-record header line (with its `\n`); undefined if it is not one. */
export function parseArcHeaderLine(line: Buffer): ArcHeader | undefined {
  if (line.length < 20 || line.length > MAX_ARC_LINE_BYTES || line[line.length - 1] !== 10) return undefined;
  const c = line[0]!;
  // A letter: every URL scheme starts with one (cheap reject before any string work).
  if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return undefined;
  const text = line.toString('latin1', 0, line.length - (line[line.length - 2] === 13 ? 2 : 1));
  const f = text.split(' ');
  if (f.length !== 5 && f.length !== 10) return undefined;
  const [url, ip, date, mime] = f as [string, string, string, string];
  const length = f[f.length - 1]!;
  if (!URL_FIELD.test(url) || !DATE_FIELD.test(date) || !LENGTH_FIELD.test(length)) return undefined;
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
  if (f.length === 10) {
    const [, , , , result, checksum, location, offset, filename] = f as string[];
    pairs.push(['ARC-Result-Code', result!], ['ARC-Checksum', checksum!], ['ARC-Location', location!], ['ARC-Offset', offset!], ['ARC-Filename', filename!]);
  }
  return { arcVersion: f.length === 10 ? 2 : 1, pairs, contentLength: Number(length) };
}
