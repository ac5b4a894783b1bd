import { describe } from '../errors/index.js';
import { UrlError } from './url-error.js';

/**
 * URL credentials (`https://user:pass@host/`) are never kept: jarvix does not send them (no
 * Authorization from a URL) and writes no URL with them, since every URL ends up in shared files
 * (dataset, WARC, state, reports, logs). This removes the user-info part of text that may not even
 * parse, for messages about a bad input line: `http://u:p@[bad` → `http://***@[bad`.
 */
export function redactCredentials(text: string): string {
  return text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, '$1***@');
}

/** Whether a URL, as given, carries user-info (`user:pass@`) that normalizeUrl removes. */
export function hasCredentials(raw: string): boolean {
  return redactCredentials(raw) !== raw;
}

/**
 * The one canonical form of a URL in a run, so dedup and politeness keys agree everywhere.
 * WHATWG parsing already lowercases the host (and punycodes IDNs), drops the scheme's default
 * port and turns an empty path into '/'; we add: http(s) only, no fragment (a fragment never
 * reaches the server) and no credentials (see redactCredentials). The query is kept byte for byte: reordering parameters can change what a
 * server returns.
 */
export function normalizeUrl(raw: string, base?: string): string {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new UrlError('JVX_ERR_URL_INVALID', `not a valid URL: ${describe(redactCredentials(raw))}`, raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UrlError('JVX_ERR_URL_SCHEME', `only http and https URLs can be crawled, got ${url.protocol} in ${describe(redactCredentials(raw))}`, raw);
  }
  if (url.hostname === '') throw new UrlError('JVX_ERR_URL_INVALID', `URL has no host: ${describe(redactCredentials(raw))}`, raw);
  url.hash = '';
  url.username = '';
  url.password = '';
  return url.href;
}
