import { surt } from './surt.js';

/**
 * One CDXJ line (pywb / Common Crawl format): `surt timestamp14 {json}`. Numbers in the JSON are
 * strings, as pywb's and Common Crawl's indexers write them; the digest is the bare base32 sha1.
 */
export interface CdxjEntry {
  readonly urlkey: string;
  readonly timestamp: string;
  readonly url: string;
  readonly mime: string;
  readonly status: string;
  readonly digest: string;
  readonly length: number;
  readonly offset: number;
  readonly filename: string;
}

export function cdxjEntry(fields: Omit<CdxjEntry, 'urlkey'>): CdxjEntry {
  return { urlkey: surt(fields.url), ...fields };
}

export function formatCdxj(e: CdxjEntry): string {
  const json = JSON.stringify({
    url: e.url,
    mime: e.mime,
    status: e.status,
    digest: e.digest.replace(/^sha1:/i, ''),
    length: String(e.length),
    offset: String(e.offset),
    filename: e.filename,
  });
  return `${e.urlkey} ${e.timestamp} ${json}`;
}

/** Parses a CDXJ line (ours, pywb's or warcio's: numbers may be strings or numbers); undefined if malformed. */
export function parseCdxj(line: string): CdxjEntry | undefined {
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp2 < 0) return undefined;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(line.slice(sp2 + 1)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
  const offset = Number(json.offset);
  const length = Number(json.length);
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length)) return undefined;
  return {
    urlkey: line.slice(0, sp1),
    timestamp: line.slice(sp1 + 1, sp2),
    url: str(json.url),
    mime: str(json.mime),
    status: str(json.status),
    digest: str(json.digest),
    length,
    offset,
    filename: str(json.filename),
  };
}

/** The sort key prefix of a line: CDXJ files sort by whole line, and `urlkey + ' '` bounds one URL's lines. */
export function cdxjKeyPrefix(urlkey: string): string {
  return `${urlkey} `;
}
