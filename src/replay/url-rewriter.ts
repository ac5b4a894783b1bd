/**
 * Replay modifiers, as pywb names them: how the server treats what a rewritten URL asks for.
 * `''` rewritten HTML with the banner; `mp_`/`if_`/`fw_` rewritten, no banner (frames, and a
 * page whose banner is off); `cs_` a stylesheet (CSS rewritten); `js_`, `im_`, `oe_` scripts,
 * images and other embeds, served as archived; `id_` the payload byte for byte.
 */
export const MODIFIERS = ['', 'id_', 'mp_', 'if_', 'fw_', 'cs_', 'js_', 'im_', 'oe_'] as const;
export type Modifier = (typeof MODIFIERS)[number];

const UNREWRITTEN = /^(#|javascript:|data:|mailto:|tel:|about:|blob:|vbscript:)/i;

/**
 * Points archived URLs back into the archive at one timestamp (the page's own): the server
 * then redirects each request to the capture nearest that time, as pywb does, so a page never
 * needs to know which captures its requisites have.
 */
export class UrlRewriter {
  readonly prefix: string;
  readonly timestamp: string;
  base: string;

  /** `prefix`: the path before the timestamp, `/web/`. */
  constructor(prefix: string, timestamp: string, base: string) {
    this.prefix = prefix;
    this.timestamp = timestamp;
    this.base = base;
  }

  /** The archive URL of `value` (relative to the base), or `value` itself when it is not http(s). */
  rewrite(value: string, mod: Modifier = ''): string {
    const v = value.trim();
    if (v === '' || UNREWRITTEN.test(v)) return value;
    if (v.startsWith(this.prefix)) return value; // already rewritten (a page saved from a replay)
    let abs: URL;
    try {
      abs = new URL(v, this.base);
    } catch {
      return value;
    }
    if (abs.protocol !== 'http:' && abs.protocol !== 'https:') return value;
    return `${this.prefix}${this.timestamp}${mod}/${abs.href}`;
  }

  /** `srcset`: each candidate's URL rewritten, its descriptor kept. */
  rewriteSrcset(value: string, mod: Modifier): string {
    // The HTML spec's candidate parsing: a URL runs to whitespace (trailing commas end it), then
    // descriptors run to the next comma. URLs may hold commas; descriptors may not.
    const out: string[] = [];
    let i = 0;
    const n = value.length;
    while (i < n) {
      while (i < n && /[\s,]/.test(value[i]!)) i++;
      if (i >= n) break;
      let j = i;
      while (j < n && !/\s/.test(value[j]!)) j++;
      let url = value.slice(i, j);
      let desc = '';
      if (url.endsWith(',')) url = url.replace(/,+$/, '');
      else {
        const k = value.indexOf(',', j);
        desc = value.slice(j, k < 0 ? n : k).trim();
        j = k < 0 ? n : k + 1;
      }
      i = j;
      out.push(desc ? `${this.rewrite(url, mod)} ${desc}` : this.rewrite(url, mod));
    }
    return out.join(', ');
  }

  /** CSS text: `url(...)` (as `im_`, served as archived) and `@import` (as `cs_`). */
  rewriteCss(css: string): string {
    return css
      .replace(/url\(\s*(['"]?)([^'")]*?)\1\s*\)/gi, (all, q: string, u: string) => (u ? `url(${q}${this.rewrite(u, 'im_')}${q})` : all))
      .replace(/@import\s+(['"])([^'"]+)\1/gi, (_all, q: string, u: string) => `@import ${q}${this.rewrite(u, 'cs_')}${q}`);
  }

  /** `<meta http-equiv=refresh content="5; url=...">`. */
  rewriteRefresh(content: string): string {
    return content.replace(/(;\s*url\s*=\s*)(['"]?)([^'"]*)\2/i, (_all, pre: string, q: string, u: string) => `${pre}${q}${this.rewrite(u)}${q}`);
  }
}
