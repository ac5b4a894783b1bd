import type { Handler } from 'htmlparser2';
import { TextSink, appendTo } from './text-sink.js';
import { MicrodataCollector } from './microdata.js';

/** What one streaming pass over the HTML collects; resolved and interpreted afterwards. */
export interface RawLink {
  href: string;
  text: string;
  rel: string | null;
}

const enum Flag {
  Skip = 1, // boilerplate: text left out, headings too
  SoftSkip = 2, // site <header>: text left out, headings kept
  Main = 4,
  Heading = 8,
  Link = 16,
  Title = 32,
  JsonLd = 64,
  Raw = 128, // script/style/svg: nothing inside is text
  Hidden = 256, // hidden from readers: not even in the visible text
  Dense = 512, // a container checked for link density when it closes
}

const RAW_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'canvas', 'textarea', 'select']);
const SKIP_TAGS = new Set(['nav', 'footer', 'aside', 'button', 'menu', 'dialog', 'option', 'label']);
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'blockquote', 'pre', 'table', 'tr', 'figure', 'figcaption', 'header', 'address', 'hr', 'details', 'summary', 'body',
]);
const INLINE_BREAKS = new Set(['br', 'td', 'th', 'img']);
const SKIP_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'menu', 'menubar', 'complementary', 'search', 'dialog', 'alertdialog', 'toolbar']);
const STRUCTURAL = new Set(['html', 'body', 'main', 'article']);
const BOILER_HINT = /nav|menu|foot|sidebar|bread|shar|social|newsletter|popup|modal|skip|related|comment|cookie|consent|gdpr|onetrust|banner/;
/** Class/id words that mark boilerplate when they are a whole `-`/`_` part of a token ("sd-sharing-enabled"). */
const BOILER_PARTS = new Set([
  'nav', 'navbar', 'navigation', 'menu', 'menubar', 'footer', 'sidebar', 'breadcrumb', 'breadcrumbs', 'share', 'sharing',
  'sharedaddy', 'social', 'newsletter', 'popup', 'modal', 'skip', 'related', 'comments', 'comment',
]);
/** Parts that describe a container *having* boilerplate beside its content ("content-with-sidebar"). */
const NOT_BOILER_PARTS = new Set(['has', 'with', 'no', 'without']);
const CONSENT_HINT = /cookie|consent|gdpr|onetrust|cookiebot/;
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
/**
 * Containers whose text is dropped when it is mostly link text (menus, related-article lists,
 * tag clouds, share bars without a telling class): structure, not words, so any language.
 */
const DENSITY_TAGS = new Set(['ul', 'ol', 'div', 'section', 'table', 'p', 'dl']);
/** A container is link boilerplate above this share of link text... */
const MAX_LINK_DENSITY = 0.5;
/** ...when it holds at least this many links (one linked sentence in a paragraph is content). */
const MIN_DENSE_LINKS = 3;

const MAX_LINKS = 5000;
const MAX_HEADINGS = 100;
const MAX_HEADING_CHARS = 300;
const MAX_LINK_TEXT = 300;
const MAX_TITLE_CHARS = 1000;
const MAX_JSONLD_SCRIPTS = 50;
const MAX_JSONLD_CHARS = 1_000_000;
/**
 * Open elements at which parsing stops. htmlparser2 keeps its open-element stack with
 * unshift/shift, so each tag costs O(depth): 100k nested tags took 5-16 s. Browsers cap the
 * tree too (Blink flattens past 512); real pages stay far below this.
 */
export const MAX_DEPTH = 4096;

export class HtmlWalker implements Partial<Handler> {
  readonly all: TextSink;
  readonly main: TextSink;
  /** Every text a reader sees, boilerplate included: the fallback when the picked text is too short. */
  readonly visible: TextSink;
  /** The visible text inside `<main>`/`<article>`: the first fallback, before the whole page. */
  readonly mainVisible: TextSink;
  /** The first `<h1>` outside boilerplate. */
  h1: string | null = null;
  readonly micro = new MicrodataCollector();
  readonly headings: string[] = [];
  readonly links: RawLink[] = [];
  readonly jsonLd: string[] = [];
  readonly meta = new Map<string, string>();
  readonly anomalies = new Set<string>();
  title: string | null = null;
  /** Set when MAX_DEPTH was reached: the caller stops feeding the parser. */
  tooDeep = false;
  /** Called once when MAX_DEPTH is reached (the caller pauses the parser). */
  onTooDeep: (() => void) | null = null;
  canonical: string | null = null;
  baseHref: string | null = null;
  htmlLang: string | null = null;
  paywallHint = false;

  readonly #flags: number[] = [];
  #skip = 0;
  #softSkip = 0;
  #main = 0;
  #raw = 0;
  #hidden = 0;
  /** Text and link-text characters kept so far, and links seen: link density per container. */
  #textChars = 0;
  #linkChars = 0;
  #linkCount = 0;
  /** Per open Dense container: [allMark, mainMark, textChars, linkChars, linkCount]. */
  readonly #dense: number[][] = [];
  #titleBuf: string | null = null;
  #headingBuf: string | null = null;
  #jsonLdBuf: string | null = null;
  #link: RawLink | null = null;

  constructor(maxTextChars: number) {
    this.all = new TextSink(maxTextChars);
    this.main = new TextSink(maxTextChars);
    this.visible = new TextSink(maxTextChars);
    this.mainVisible = new TextSink(maxTextChars);
  }

  onopentag(name: string, attrs: Record<string, string>): void {
    if (this.tooDeep) return;
    if (this.#flags.length >= MAX_DEPTH) {
      this.tooDeep = true;
      this.anomalies.add('html-too-deep');
      this.onTooDeep?.();
      return;
    }
    let flags = 0;
    if (name === 'title' && this.title === null && this.#titleBuf === null && this.#raw === 0) {
      flags |= Flag.Title;
      this.#titleBuf = '';
    } else if (name === 'script') {
      const type = (attrs.type ?? '').toLowerCase();
      if (type.includes('ld+json') && this.jsonLd.length < MAX_JSONLD_SCRIPTS) {
        flags |= Flag.JsonLd;
        this.#jsonLdBuf = '';
      }
    }
    if (RAW_TAGS.has(name)) flags |= Flag.Raw;
    else if (isHidden(attrs)) flags |= Flag.Skip | Flag.Hidden;
    else if (this.#isBoilerplate(name, attrs)) flags |= Flag.Skip;
    else if (name === 'header' && this.#main === 0) flags |= Flag.SoftSkip;
    if (name === 'main' || name === 'article' || attrs.role === 'main') flags |= Flag.Main;

    if (this.#raw === 0) this.#openContent(name, attrs);
    if (!(flags & Flag.Raw) && this.#raw === 0 && /^h[1-6]$/.test(name) && this.#skip === 0 && this.#headingBuf === null) {
      flags |= Flag.Heading;
      this.#headingBuf = '';
    }
    if (name === 'a' || name === 'area') {
      if (attrs.href !== undefined && this.#link === null) {
        flags |= Flag.Link;
        if (this.#skip === 0 && this.#raw === 0) this.#linkCount++;
        this.#link = { href: attrs.href, text: '', rel: attrs.rel === undefined ? null : attrs.rel.trim().toLowerCase() };
        if (name === 'area' && attrs.alt) this.#link.text = attrs.alt;
      }
    } else if (name === 'img' && this.#link && this.#link.text === '' && attrs.alt) {
      this.#link.text = attrs.alt.slice(0, MAX_LINK_TEXT);
    }

    if (flags & Flag.Raw) this.#raw++;
    if (flags & Flag.Hidden) this.#hidden++;
    if (flags & Flag.Skip) this.#skip++;
    if (this.#raw === 0 && this.#skip === 0 && DENSITY_TAGS.has(name)) {
      flags |= Flag.Dense;
      this.#dense.push([this.all.mark(), this.main.mark(), this.#textChars, this.#linkChars, this.#linkCount]);
    }
    if (flags & Flag.SoftSkip) this.#softSkip++;
    if (flags & Flag.Main) this.#main++;
    if (BLOCK_TAGS.has(name)) this.#paragraph();
    else if (INLINE_BREAKS.has(name)) this.#space();
    this.micro.open(name, attrs, this.#flags.length);
    this.#flags.push(flags);
  }

  onclosetag(name: string): void {
    if (this.tooDeep) return;
    const flags = this.#flags.pop();
    if (flags === undefined) return;
    this.micro.close(this.#flags.length);
    if (flags & Flag.Raw) this.#raw--;
    if (flags & Flag.Hidden) this.#hidden--;
    if (flags & Flag.Skip) this.#skip--;
    if (flags & Flag.Dense) this.#closeDense();
    if (flags & Flag.SoftSkip) this.#softSkip--;
    if (flags & Flag.Main) this.#main--;
    if (flags & Flag.Title && this.#titleBuf !== null) {
      this.title = collapse(this.#titleBuf).slice(0, MAX_TITLE_CHARS);
      this.#titleBuf = null;
    }
    if (flags & Flag.Heading && this.#headingBuf !== null) {
      const h = collapse(this.#headingBuf).slice(0, MAX_HEADING_CHARS);
      if (h && this.headings.length < MAX_HEADINGS) this.headings.push(h);
      if (h && name === 'h1' && this.h1 === null) this.h1 = h;
      this.#headingBuf = null;
    }
    if (flags & Flag.JsonLd && this.#jsonLdBuf !== null) {
      this.jsonLd.push(this.#jsonLdBuf);
      this.#jsonLdBuf = null;
    }
    if (flags & Flag.Link && this.#link) {
      if (this.links.length < MAX_LINKS) {
        this.#link.text = collapse(this.#link.text).slice(0, MAX_LINK_TEXT);
        this.links.push(this.#link);
      } else {
        this.anomalies.add('links-truncated');
      }
      this.#link = null;
    }
    if (BLOCK_TAGS.has(name)) this.#paragraph();
    else if (INLINE_BREAKS.has(name)) this.#space();
  }

  ontext(data: string): void {
    if (this.tooDeep) return;
    if (this.#titleBuf !== null && this.#titleBuf.length < MAX_TITLE_CHARS * 2) this.#titleBuf += data;
    if (this.#jsonLdBuf !== null) {
      if (this.#jsonLdBuf.length + data.length <= MAX_JSONLD_CHARS) this.#jsonLdBuf += data;
      else this.anomalies.add('jsonld-too-large');
    }
    if (this.#raw > 0) return;
    this.micro.text(data);
    if (this.#headingBuf !== null && this.#headingBuf.length < MAX_HEADING_CHARS * 2) this.#headingBuf += data;
    if (this.#link && this.#link.text.length < MAX_LINK_TEXT * 2) this.#link.text += data;
    if (this.#titleBuf !== null || this.#hidden > 0) return;
    const inMain = this.#main > 0 ? this.mainVisible : undefined;
    if (this.#skip > 0 || this.#softSkip > 0) {
      appendTo(this.visible, data, inMain);
      return;
    }
    const n = appendTo(this.all, data, this.visible, inMain, inMain ? this.main : undefined);
    this.#textChars += n;
    if (this.#link) this.#linkChars += n;
  }

  /** Closes a density container: mostly-link text is taken back out of the kept text. */
  #closeDense(): void {
    const [allMark, mainMark, text, linkText, links] = this.#dense.pop()!;
    const chars = this.#textChars - text!;
    if (this.#linkCount - links! < MIN_DENSE_LINKS || chars === 0) return;
    if ((this.#linkChars - linkText!) / chars <= MAX_LINK_DENSITY) return;
    this.all.rollback(allMark!);
    this.main.rollback(mainMark!);
    this.#textChars = text!;
    this.#linkChars = linkText!;
  }

  /** Elements that only matter when they open: meta, link, base, html. */
  #openContent(name: string, attrs: Record<string, string>): void {
    switch (name) {
      case 'html':
        if (attrs.lang && this.htmlLang === null) this.htmlLang = attrs.lang;
        break;
      case 'base':
        if (attrs.href !== undefined && this.baseHref === null) this.baseHref = attrs.href;
        break;
      case 'meta': {
        const key = (attrs.name ?? attrs.property ?? attrs['http-equiv'] ?? attrs.itemprop ?? '').trim().toLowerCase();
        if (key && attrs.content !== undefined && !this.meta.has(key)) this.meta.set(key, attrs.content);
        break;
      }
      case 'link':
        if (this.canonical === null && attrs.href && /(^|\s)canonical(\s|$)/i.test(attrs.rel ?? '')) this.canonical = attrs.href;
        break;
    }
  }

  #isBoilerplate(name: string, attrs: Record<string, string>): boolean {
    if (SKIP_TAGS.has(name)) return true;
    if (attrs.role !== undefined && SKIP_ROLES.has(attrs.role.toLowerCase())) return true;
    if (STRUCTURAL.has(name)) return false;
    const cls = attrs.class;
    const id = attrs.id;
    if (cls === undefined && id === undefined) return false;
    const hint = `${cls ?? ''} ${id ?? ''}`.toLowerCase();
    if (hint.includes('paywall')) this.paywallHint = true;
    if (!BOILER_HINT.test(hint)) return false;
    if (CONSENT_HINT.test(hint)) return true;
    for (const token of hint.split(/\s+/)) if (isBoilerToken(token)) return true;
    return false;
  }

  #paragraph(): void {
    this.all.paragraph();
    this.main.paragraph();
    this.visible.paragraph();
    this.mainVisible.paragraph();
  }

  #space(): void {
    this.all.space();
    this.main.space();
    this.visible.space();
    this.mainVisible.space();
  }
}

function isHidden(attrs: Record<string, string>): boolean {
  return attrs.hidden !== undefined || attrs['aria-hidden'] === 'true' || (attrs.style !== undefined && HIDDEN_STYLE.test(attrs.style));
}

function isBoilerToken(token: string): boolean {
  const parts = token.split(/[-_]+/);
  let hit = false;
  for (const p of parts) {
    if (NOT_BOILER_PARTS.has(p)) return false;
    if (BOILER_PARTS.has(p)) hit = true;
  }
  return hit;
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
