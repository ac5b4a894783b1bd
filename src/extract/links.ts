import type { ExtractedLink } from './types.js';
import type { RawLink } from './html-walker.js';

const SKIP_SCHEME = /^\s*(javascript|mailto|tel|data|sms|callto|about|blob|file|ftp|whatsapp|fax):/i;

/** The URL documents resolve against: the page URL, or its `<base href>` when that is valid http(s). */
export function baseUrlFor(pageUrl: string, baseHref: string | null): URL | null {
  let page: URL | null = null;
  try {
    page = new URL(pageUrl);
  } catch {
    return null;
  }
  if (baseHref !== null && baseHref.trim() !== '') {
    try {
      const base = new URL(baseHref.trim(), page);
      if (base.protocol === 'http:' || base.protocol === 'https:') return base;
    } catch {
      // An unparsable <base href> is ignored, as browsers do.
    }
  }
  return page;
}

/** Resolves an href to an absolute http(s) URL without fragment; null for non-web schemes and junk. */
export function resolveHref(href: string, base: URL | null): string | null {
  const h = href.trim();
  if (h === '' || h.startsWith('#') || SKIP_SCHEME.test(h)) return null;
  try {
    const u = base ? new URL(h, base) : new URL(h);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    u.hash = '';
    // Credentials in a link are never kept (url/normalize.ts): links rows are shared files.
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return null;
  }
}

export function resolveLinks(raw: RawLink[], base: URL | null, pageNofollow: boolean): ExtractedLink[] {
  const out: ExtractedLink[] = [];
  for (const link of raw) {
    const url = resolveHref(link.href, base);
    if (url === null) continue;
    const relTokens = link.rel ? link.rel.split(/\s+/) : [];
    out.push({ url, text: link.text, rel: link.rel || null, nofollow: pageNofollow || relTokens.includes('nofollow') });
  }
  return out;
}
