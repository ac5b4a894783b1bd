import { surt } from '../warc/index.js';
import { BadParameterError, BadUrlError } from './errors.js';

export type MatchType = 'exact' | 'prefix' | 'host' | 'domain';
export const MATCH_TYPES: readonly MatchType[] = ['exact', 'prefix', 'host', 'domain'];

/** A SURT key range [from, to): what an index scans for one lookup. */
export interface KeyRange {
  readonly from: string;
  readonly to: string;
}

/** Past every ASCII key byte: `prefix + HIGH` bounds every key that starts with `prefix`. */
const HIGH = '\u{10ffff}';

/** A URL as users type it (`example.com/a`, `http:/x`), made absolute, or BadUrlError. */
export function normalizeUrl(raw: string): string {
  let u = raw.trim();
  // Some clients collapse `//` in a path: `/web/2024/http:/a.test/` means http://a.test/.
  u = u.replace(/^(https?):\/(?!\/)/i, '$1://');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(u)) u = `http://${u}`;
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new BadUrlError(raw);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new BadUrlError(raw);
  parsed.hash = '';
  return parsed.href;
}

/**
 * The key ranges of a pywb match type: `exact` one key, `prefix` keys starting with the URL's
 * key (its path a prefix), `host` every path of the host, `domain` the host and its subdomains.
 */
export function keyRanges(url: string, matchType: MatchType): KeyRange[] {
  const key = surt(url);
  if (matchType === 'exact') return [{ from: key, to: `${key}\u0000` }];
  if (matchType === 'prefix') {
    // `a.test/dir/` has the key `test,a)/dir`: a prefix match must not take `/directory` too when
    // the user ended with a slash, so keep the slash then.
    const p = url.endsWith('/') && !key.endsWith(')/') ? `${key}/` : key;
    return [{ from: p, to: p + HIGH }];
  }
  const paren = key.indexOf(')');
  if (paren < 0) throw new BadParameterError('url', 'a URL with a host', url);
  const host = key.slice(0, paren); // with its port, if any
  if (matchType === 'host') return [{ from: `${host})`, to: `${host})${HIGH}` }];
  const bare = host.replace(/:\d+$/, '');
  return [`${bare})`, `${bare}:`, `${bare},`].map((p) => ({ from: p, to: p + HIGH }));
}
