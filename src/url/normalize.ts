import { describe } from '../errors/index.js';
import { UrlError } from './url-error.js';

/**
 * The one canonical form of a URL in a run, so dedup and politeness keys agree everywhere.
 * WHATWG parsing already lowercases the host (and punycodes IDNs), drops the scheme's default
 * port and turns an empty path into '/'; we add: http(s) only and no fragment (a fragment never
 * reaches the server). The query is kept byte for byte: reordering parameters can change what a
 * server returns.
 */
export function normalizeUrl(raw: string, base?: string): string {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new UrlError('JVX_ERR_URL_INVALID', `not a valid URL: ${describe(raw)}`, raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UrlError('JVX_ERR_URL_SCHEME', `only http and https URLs can be crawled, got ${url.protocol} in ${describe(raw)}`, raw);
  }
  if (url.hostname === '') throw new UrlError('JVX_ERR_URL_INVALID', `URL has no host: ${describe(raw)}`, raw);
  url.hash = '';
  return url.href;
}
