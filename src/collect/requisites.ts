import { Parser } from 'htmlparser2';
import type { FetchResult } from '../fetch/index.js';
import type { LeasedUrl } from '../frontier/types.js';
import { normalizeUrl } from '../url/index.js';
import type { TableRows } from './checkpointer.js';
import type { TaskContext } from './page-task.js';

/**
 * Page requisites (`collect --page-requisites`, as `wget -p` and Heritrix's embeds): the resources a
 * fetched HTML page needs to render (stylesheets, scripts, images, icons, fonts, and whatever its
 * CSS imports) go through the same frontier, politeness and robots checks as pages, but they are
 * not pages of the input: they are archived in the WARC (and so indexed in the CDXJ and exported
 * in a WACZ) and write no `pages`, `links` or `chunks` rows; a requisite that fails or is refused
 * gets an `errors` row, so nothing is lost silently.
 *
 * The frontier keeps one integer per URL besides its URL, its depth, and both backends (SQLite,
 * Redis) store it as it is: a requisite is marked by a depth at or above REQUISITE_DEPTH, far past
 * any `--depth` (at most 1000). So the mark survives a resume and travels between workers with no
 * change to the frontier. Requisites are added with a higher priority, so that a host's requisites
 * are fetched before its next pages.
 */
export const REQUISITE_DEPTH = 1_000_000_000;
const REQUISITE_PRIORITY = 1;
/** Cap per page: a page with thousands of images should not flood the frontier. */
const MAX_REQUISITES_PER_RESOURCE = 1000;

export const isRequisite = (lease: { readonly depth: number }): boolean => lease.depth >= REQUISITE_DEPTH;

/** The depth the policy gate judges a lease at: a requisite is no link hop (deny rules still apply). */
export const gateDepth = (lease: { readonly depth: number }): number => (isRequisite(lease) ? 0 : lease.depth);

const HTML = /^(text\/html|application\/xhtml\+xml)/i;
const CSS = /^text\/css/i;
const LINK_RELS = new Set(['stylesheet', 'icon', 'shortcut', 'apple-touch-icon', 'preload', 'modulepreload', 'mask-icon']);

/** `url(...)` and `@import "..."` targets of a stylesheet (data: URLs left out by the caller). */
export function cssUrls(css: string): string[] {
  const out: string[] = [];
  for (const m of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  for (const m of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/gi)) out.push(m[1] ?? m[2] ?? '');
  return out.filter((u) => u !== '');
}

/** `srcset` candidates: comma-separated `URL [descriptor]`. */
function srcsetUrls(srcset: string): string[] {
  return srcset
    .split(/,\s+|,(?=\S)/)
    .map((c) => c.trim().split(/\s+/)[0] ?? '')
    .filter((u) => u !== '');
}

/** The requisite URLs of an HTML document, relative ones as written (with the `<base href>` if any). */
export function htmlRequisites(html: string): { base: string | undefined; urls: string[] } {
  const urls: string[] = [];
  let base: string | undefined;
  let inStyle = false;
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (a.style) urls.push(...cssUrls(a.style));
        switch (name) {
          case 'base':
            if (a.href && base === undefined) base = a.href;
            break;
          case 'img':
          case 'source':
          case 'input':
            if (a.src && (name !== 'input' || a.type?.toLowerCase() === 'image')) urls.push(a.src);
            if (a.srcset) urls.push(...srcsetUrls(a.srcset));
            break;
          case 'script':
            if (a.src) urls.push(a.src);
            break;
          case 'link': {
            const rels = (a.rel ?? '').toLowerCase().split(/\s+/);
            if (a.href && rels.some((r) => LINK_RELS.has(r))) urls.push(a.href);
            if (a.imagesrcset) urls.push(...srcsetUrls(a.imagesrcset));
            break;
          }
          case 'style':
            inStyle = true;
            break;
        }
      },
      ontext(text) {
        if (inStyle) urls.push(...cssUrls(text));
      },
      onclosetag(name) {
        if (name === 'style') inStyle = false;
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return { base, urls };
}

/** Absolute, normalized http(s) requisite URLs of a fetched HTML page or stylesheet; [] for anything else. */
export async function requisitesOf(result: FetchResult): Promise<string[]> {
  if (result.error || result.status === null || result.status < 200 || result.status >= 300) return [];
  const type = result.contentType ?? '';
  const isHtml = HTML.test(type);
  if (!isHtml && !CSS.test(type)) return [];
  const decoded = await result.decodeBody();
  if (!decoded) return [];
  const text = decoded.bytes.toString('utf8');
  let baseUrl = result.finalUrl;
  let raw: string[];
  if (isHtml) {
    const found = htmlRequisites(text);
    if (found.base) baseUrl = resolve(found.base, baseUrl) ?? baseUrl;
    raw = found.urls;
  } else raw = cssUrls(text);
  const out = new Set<string>();
  for (const r of raw) {
    const abs = resolve(r, baseUrl);
    if (abs && out.size < MAX_REQUISITES_PER_RESOURCE) out.add(abs);
  }
  return [...out];
}

function resolve(ref: string, base: string): string | undefined {
  try {
    const u = new URL(ref.trim(), base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return normalizeUrl(u.href);
  } catch {
    return undefined;
  }
}

/** Enqueues the requisites of a fetched page or stylesheet (a stylesheet's own imports included). */
export async function addRequisites(ctx: TaskContext, result: FetchResult): Promise<void> {
  const urls = await requisitesOf(result);
  const batch = urls.filter((url) => ctx.gate.check(url, { depth: 0 }).allowed).map((url) => ({ url, depth: REQUISITE_DEPTH, priority: REQUISITE_PRIORITY }));
  if (batch.length === 0) return;
  const added = await ctx.frontier.add(batch);
  ctx.counters.total += added;
  if (added > 0) ctx.poke();
}

/**
 * What a requisite commits: no `pages`, `links` or `chunks` rows (it is not a page), its `errors`
 * rows, and an `errors` row of stage `requisite` for a refusal (robots, policy) that had none.
 */
export function requisiteRows(lease: LeasedUrl, rows: TableRows): TableRows {
  const errors = [...((rows.errors ?? []) as { url: string; error_code: string }[])];
  for (const p of (rows.pages ?? []) as { url: string; error_code: string | null; error_message: string | null; attempts: number | null }[]) {
    if (p.error_code && !errors.some((e) => e.error_code === p.error_code)) {
      errors.push({ url: p.url, stage: 'requisite', error_code: p.error_code, message: p.error_message ?? p.error_code, attempts: p.attempts ?? lease.attempts, time: new Date() } as never);
    }
  }
  return errors.length > 0 ? { errors } : {};
}
