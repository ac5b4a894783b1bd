import { Parser } from 'htmlparser2';
import type { Modifier, UrlRewriter } from './url-rewriter.js';

interface Attr {
  readonly name: string;
  readonly value: string;
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const MEDIA = new Set(['audio', 'video', 'track']);

/** How an element's `src` is fetched: decides the modifier of its rewritten URL. */
function srcModifier(tag: string, attrs: readonly Attr[]): Modifier {
  if (tag === 'script') return 'js_';
  if (tag === 'iframe' || tag === 'frame') return 'if_';
  if (tag === 'img' || tag === 'input') return 'im_';
  if (tag === 'source') return attrs.some((a) => a.name === 'srcset') ? 'im_' : 'oe_';
  if (MEDIA.has(tag) || tag === 'embed') return 'oe_';
  return 'oe_';
}

function linkModifier(rel: string): Modifier {
  const r = rel.toLowerCase();
  if (/\bstylesheet\b/.test(r)) return 'cs_';
  if (/\bicon\b/.test(r)) return 'im_';
  if (/\b(preload|prefetch|modulepreload|manifest)\b/.test(r)) return 'oe_';
  return '';
}

const escapeAttr = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Rewrites an archived HTML page so that everything it links or loads points back into the
 * archive: href, src, srcset, poster, action, data, background, style attributes, `<style>`
 * blocks (CSS `url()` and `@import`), `<meta http-equiv=refresh>` and `<base>`. Inline scripts
 * are left as archived. Only the spans that change are replaced; the rest of the page is kept
 * byte for byte (htmlparser2 gives each attribute's span). `banner` goes right after `<body>`.
 */
export function rewriteHtml(html: string, rw: UrlRewriter, banner?: string): string {
  const edits: Edit[] = [];
  let attrs: Attr[] = [];
  let styleStart = -1;
  let bannerAt = -1;
  const parser: Parser = new Parser(
    {
      onopentagname() {
        attrs = [];
      },
      onattribute(name, value, quote) {
        attrs.push({ name, value, quoted: quote !== undefined, start: parser.startIndex, end: parser.endIndex });
      },
      onopentag(tag) {
        rewriteTag(tag, attrs, rw, edits);
        if (tag === 'style') styleStart = parser.endIndex + 1;
        if (tag === 'body' && bannerAt < 0) bannerAt = parser.endIndex + 1;
        attrs = [];
      },
      onclosetag(tag) {
        if (tag === 'style' && styleStart >= 0) {
          const end = parser.startIndex;
          if (end > styleStart) {
            const css = html.slice(styleStart, end);
            const out = rw.rewriteCss(css);
            if (out !== css) edits.push({ start: styleStart, end, text: out });
          }
          styleStart = -1;
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  if (banner !== undefined) edits.push({ start: bannerAt < 0 ? html.length : bannerAt, end: bannerAt < 0 ? html.length : bannerAt, text: banner });
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const e of edits) {
    if (e.start < pos) continue; // overlapping edits cannot happen for well-formed spans; keep the first
    out += html.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + html.slice(pos);
}

function rewriteTag(tag: string, attrs: readonly Attr[], rw: UrlRewriter, edits: Edit[]): void {
  const get = (n: string): string | undefined => attrs.find((a) => a.name === n)?.value;
  if (tag === 'base') {
    const href = get('href');
    if (href) {
      try {
        rw.base = new URL(href, rw.base).href;
      } catch {
        /* browsers ignore a bad <base> too */
      }
    }
  }
  for (const a of attrs) {
    if (!a.quoted && a.value === '') continue;
    let v: string | undefined;
    switch (a.name) {
      case 'href':
        if (tag === 'link') v = rw.rewrite(a.value, linkModifier(get('rel') ?? ''));
        else if (tag === 'a' || tag === 'area' || tag === 'base') v = rw.rewrite(a.value);
        break;
      case 'src':
        v = rw.rewrite(a.value, srcModifier(tag, attrs));
        break;
      case 'srcset':
      case 'imagesrcset':
        v = rw.rewriteSrcset(a.value, 'im_');
        break;
      case 'poster':
      case 'background':
        v = rw.rewrite(a.value, 'im_');
        break;
      case 'action':
      case 'formaction':
        v = rw.rewrite(a.value);
        break;
      case 'data':
        if (tag === 'object') v = rw.rewrite(a.value, 'oe_');
        break;
      case 'style':
        v = rw.rewriteCss(a.value);
        break;
      case 'content':
        if (tag === 'meta' && (get('http-equiv') ?? '').toLowerCase() === 'refresh') v = rw.rewriteRefresh(a.value);
        break;
      case 'integrity':
        // A rewritten stylesheet no longer matches its archived hash: keep the value, disarm it.
        edits.push({ start: a.start, end: a.end, text: `data-archived-integrity="${escapeAttr(a.value)}"` });
        continue;
    }
    if (v !== undefined && v !== a.value) edits.push({ start: a.start, end: a.end, text: `${a.name}="${escapeAttr(v)}"` });
  }
}
