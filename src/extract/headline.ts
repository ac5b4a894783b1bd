/**
 * The article's headline: the title a reader sees, without the site name that `<title>` and
 * often `og:title` carry ("Headline | Site", "Site :: Headline"). Structured sources (JSON-LD
 * `headline`, `og:title`, `twitter:title`) win when the page agrees with them (the `<h1>` or
 * the `<title>` shares most of their words); otherwise the `<h1>` when `<title>` confirms it,
 * otherwise `<title>` with its site-name segment cut off. Works on words and separators only,
 * so it holds for any language.
 */
export interface HeadlineSources {
  title: string | null;
  h1: string | null;
  jsonLdHeadline: string | null;
  ogTitle: string | null;
  twitterTitle: string | null;
  /** og:site_name, application-name or the publisher's name: a segment equal to it is dropped. */
  siteName: string | null;
  /** The page's host ("www.example.com"): a segment naming it is dropped. */
  host: string | null;
}

/** Separators sites put between the headline and their name; spaces required so "e-mail" stays whole. */
const SEPARATOR = /\s+(?:\||-|–|—|::|·|•|»|«|\/|~)\s+|\s*(?:\||::|｜|・|—)\s*/u;
/** A structured title and the page agree when this share of its words is on the page. */
const AGREE = 0.6;
const MAX_HEADLINE_CHARS = 500;

export function pickHeadline(s: HeadlineSources): string | null {
  const title = clean(s.title);
  const h1 = clean(s.h1);
  const evidence = [h1, title].filter((x): x is string => x !== null);
  for (const raw of [s.jsonLdHeadline, s.ogTitle, s.twitterTitle]) {
    const candidate = clean(raw);
    if (candidate === null) continue;
    const stripped = stripSite(candidate, s) ?? candidate;
    if (evidence.length === 0 || evidence.some((e) => agrees(stripped, e))) return cap(stripped);
  }
  if (h1 !== null && (title === null || agrees(h1, title))) return cap(h1);
  if (title !== null) return cap(stripSite(title, s) ?? title);
  return h1 === null ? null : cap(h1);
}

/** Drops leading or trailing segments that name the site, or the short end beside a longer headline. */
function stripSite(text: string, s: HeadlineSources): string | null {
  const parts = text.split(SEPARATOR).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length < 2) return null;
  const site = siteWords(s);
  while (parts.length > 1) {
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    if (namesSite(last, site)) parts.pop();
    else if (namesSite(first, site)) parts.shift();
    else break;
  }
  if (parts.length > 1) {
    // No segment names the site: the longest segment is the headline, the short ends are names.
    const longest = parts.reduce((a, b) => (words(b).length > words(a).length ? b : a));
    const lw = words(longest).length;
    if (parts.every((p) => p === longest || words(p).length * 2 <= lw)) return longest;
    return parts.join(' - ');
  }
  return parts[0]!;
}

function siteWords(s: HeadlineSources): Set<string> {
  const out = new Set<string>();
  for (const w of words(s.siteName ?? '')) out.add(w);
  const host = (s.host ?? '').toLowerCase().replace(/^www\d?\./, '');
  for (const label of host.split('.').slice(0, -1)) if (label.length > 1) out.add(label);
  return out;
}

/** A segment names the site when all its words are site words, or it spells the host's name. */
function namesSite(segment: string, site: Set<string>): boolean {
  if (site.size === 0) return false;
  const ws = words(segment);
  if (ws.length === 0) return false;
  if (ws.every((w) => site.has(w))) return true;
  const joined = ws.join('');
  for (const w of site) if (w.length > 2 && joined === w) return true;
  return false;
}

function agrees(candidate: string, evidence: string): boolean {
  const cw = words(candidate);
  if (cw.length === 0) return false;
  const ew = new Set(words(evidence));
  let hit = 0;
  for (const w of cw) if (ew.has(w)) hit++;
  return hit / cw.length >= AGREE;
}

/** Lower-case words; CJK text without spaces counts each character as a word. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u.test(w)) {
      for (const ch of w) out.push(ch);
    } else {
      out.push(w);
    }
  }
  return out;
}

function clean(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

function cap(s: string): string {
  return s.length > MAX_HEADLINE_CHARS ? s.slice(0, MAX_HEADLINE_CHARS) : s;
}
