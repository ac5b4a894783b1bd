import type { FaultKind } from './options.js';
import { capitalize, SITEMAP_PAGE_SIZE, type PagePlan, type WebModel } from './model.js';
import { Rng } from './prng.js';
import { LANGUAGES, STRINGS, WORDS, type Language } from './words.js';
import { REQUISITE_BODY, REQUISITE_HEAD } from './requisites.js';

export interface Rendered {
  readonly body: Buffer;
  /** Content-Type header value as served (charset may be missing or wrong on purpose). */
  readonly contentType: string;
  /** Whether the body is worth compressing. */
  readonly compressible: boolean;
}

const SENTENCES_PER_LANGUAGE = 512;

/**
 * Turns page plans into bytes. Text comes from a pool of sentences built once per seed, so a page
 * is mostly array joins: the server must produce thousands of pages a second on one core.
 */
export class Renderer {
  readonly #model: WebModel;
  readonly #sentences: Record<Language, string[]>;
  readonly #styles: string[] = [];
  readonly #scripts: string[] = [];

  constructor(model: WebModel) {
    this.#model = model;
    const seed = model.opts.seed;
    this.#sentences = {} as Record<Language, string[]>;
    for (const lang of LANGUAGES) {
      const rng = Rng.of(seed, `sentences|${lang}`);
      const words = WORDS[lang];
      const list: string[] = [];
      for (let i = 0; i < SENTENCES_PER_LANGUAGE; i++) {
        const n = rng.range(6, 22);
        const parts: string[] = [];
        for (let w = 0; w < n; w++) parts.push(rng.pick(words));
        if (rng.next() < 0.3) parts[rng.int(n)] += ',';
        list.push(`${capitalize(parts.join(' '))}${rng.pick(['.', '.', '.', '!', '?'])}`);
      }
      this.#sentences[lang] = list;
    }
    for (let v = 0; v < 16; v++) {
      const rng = Rng.of(seed, `style|${v}`);
      const rules: string[] = [];
      const count = rng.range(40, 120);
      for (let i = 0; i < count; i++) {
        const color = rng.int(0xffffff).toString(16).padStart(6, '0');
        rules.push(`.c${v}-${i}{color:#${color};margin:${rng.int(24)}px ${rng.int(24)}px;padding:${rng.int(16)}px;font-size:${12 + rng.int(12)}px}`);
      }
      this.#styles.push(`body{font-family:system-ui,sans-serif;margin:0}nav a{margin-right:1em}.price{font-weight:bold}${rules.join('\n')}`);
      const lines: string[] = [`window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());`];
      for (let i = 0; i < rng.range(20, 60); i++) lines.push(`var v${i}=${rng.int(1e6)};if(v${i}%7===${rng.int(7)}){document.documentElement.classList.add('x${i}')}`);
      this.#scripts.push(lines.join('\n'));
    }
  }

  page(plan: PagePlan, fault: FaultKind | null): Rendered {
    if (plan.kind === 'pdf') return { body: this.#pdf(plan), contentType: 'application/pdf', compressible: false };
    if (plan.kind === 'json') return { body: Buffer.from(this.#json(plan)), contentType: 'application/json; charset=utf-8', compressible: true };
    let html = this.#html(plan, fault === 'malformedHtml');
    let headerCharset = plan.charset === 'header+meta' || plan.charset === 'header' ? 'utf-8' : null;
    let body: Buffer;
    if (fault === 'badCharset') {
      // Declared UTF-8, encoded as Latin-1: accented text turns into mojibake unless sniffed.
      headerCharset = 'utf-8';
      html = html.replace('<head>', '<head>\n<meta charset="utf-8">').replace('<main>', '<main>\n<p>Crème brûlée, naïve café, Müller, señor, garçon.</p>');
      body = Buffer.from(html, 'latin1');
    } else if (fault === 'invalidUtf8') {
      body = Buffer.from(html, 'utf8');
      const at = body.indexOf('<main>');
      const bad = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe, 0xe2, 0x28, 0xa1]);
      body = Buffer.concat([body.subarray(0, at + 6), bad, body.subarray(at + 6, at + 200), bad, body.subarray(at + 200)]);
    } else {
      body = Buffer.from(html, 'utf8');
    }
    return { body, contentType: headerCharset ? `text/html; charset=${headerCharset}` : 'text/html', compressible: true };
  }

  #html(plan: PagePlan, malformed: boolean): string {
    const s = STRINGS[plan.language];
    const rng = new Rng(plan.bodySeed);
    const sentences = this.#sentences[plan.language];
    const out: string[] = [];
    const metaCharset = plan.charset === 'header+meta' || plan.charset === 'meta';
    const ogType = plan.kind === 'product' ? 'product' : plan.kind === 'article' || plan.kind === 'paywalled' ? 'article' : 'website';
    out.push(
      `<!DOCTYPE html>\n<html lang="${plan.language}">\n<head>`,
      metaCharset ? '<meta charset="utf-8">' : '',
      `<title>${esc(plan.title)}</title>`,
      `<meta name="description" content="${esc(plan.description)}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      plan.metaNofollow ? '<meta name="robots" content="nofollow">' : '',
      `<link rel="canonical" href="${plan.canonical}">`,
      `<meta property="og:title" content="${esc(plan.title)}">`,
      `<meta property="og:description" content="${esc(plan.description)}">`,
      `<meta property="og:url" content="${plan.canonical}">`,
      `<meta property="og:type" content="${ogType}">`,
      `<meta property="og:site_name" content="${plan.host.name}">`,
      `<style>${this.#styles[plan.host.styleVariant]}</style>`,
      `<script>${this.#scripts[plan.host.styleVariant]}</script>`,
    );
    // Only when asked: an empty entry would add a line and change every page's bytes.
    if (this.#model.opts.requisites) out.push(REQUISITE_HEAD);
    if (plan.kind === 'product') {
      const ld = {
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: plan.title,
        sku: `SKU-${plan.host.index}-${plan.pageIndex}`,
        description: plan.description,
        offers: { '@type': 'Offer', price: plan.price!.toFixed(2), priceCurrency: plan.currency, availability: 'https://schema.org/InStock', url: plan.url },
      };
      out.push(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`);
    } else if (plan.kind === 'article' || plan.kind === 'paywalled') {
      const ld = {
        '@context': 'https://schema.org',
        '@type': 'NewsArticle',
        headline: plan.title,
        datePublished: new Date(plan.lastModifiedMs).toISOString(),
        isAccessibleForFree: plan.kind === 'article',
        ...(plan.kind === 'paywalled' ? { hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.paywall' } } : {}),
      };
      out.push(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`);
    }
    out.push('</head>\n<body>\n<header><nav>');
    const link = (l: PagePlan['links'][number]): string => `<a href="${l.href}"${l.nofollow ? ' rel="nofollow"' : ''}>${esc(l.text)}</a>`;
    for (const l of plan.links) if (l.section === 'nav') out.push(link(l));
    out.push('</nav></header>\n<main>');
    if (this.#model.opts.requisites) out.push(REQUISITE_BODY);
    out.push(malformed ? `<h1>${esc(plan.title)}<p><div class=broken>` : `<h1>${esc(plan.kind === 'soft404' ? s.notFound : plan.title)}</h1>`);
    if (plan.kind === 'soft404') {
      out.push(`<p>${s.notFound}. Sorry, the page you are looking for could not be found.</p>`);
    } else if (plan.kind === 'product') {
      out.push(
        `<div class="product"><p class="price">${s.price}: <span itemprop="price">${plan.priceText}</span></p>`,
        `<p class="stock">${s.inStock}</p><button class="buy">${s.buy}</button> <button class="cart">${s.addToCart}</button> <p>${s.order}.</p></div>`,
      );
    }
    const paragraphs = plan.kind === 'soft404' ? 1 : plan.kind === 'paywalled' ? 3 : 1_000_000;
    const body = plan.links.filter((l) => l.section === 'body');
    let size = out.reduce((n, x) => n + x.length, 0) + 400 + body.length * 60;
    let linkAt = 0;
    for (let p = 0; p < paragraphs && size < plan.targetBytes; p++) {
      const n = rng.range(3, 8);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(sentences[rng.int(SENTENCES_PER_LANGUAGE)]!);
      if (linkAt < body.length && p % 2 === 1) parts.push(link(body[linkAt++]!));
      const para = malformed && p % 5 === 2 ? `<p class=x ${parts.join(' ')}<b><i>unclosed` : `<p>${parts.join(' ')}</p>`;
      out.push(para);
      size += para.length + 1;
    }
    if (plan.kind === 'paywalled') out.push(`<div class="paywall"><p>${s.subscribe}.</p><a class="subscribe" href="/">Subscribe</a></div>`);
    if (linkAt < body.length) {
      out.push(`<aside><h2>${s.related}</h2><ul>`);
      for (; linkAt < body.length; linkAt++) out.push(`<li>${link(body[linkAt]!)}</li>`);
      out.push('</ul></aside>');
    }
    out.push('</main>\n<footer>');
    for (const l of plan.links) if (l.section === 'footer') out.push(link(l));
    out.push(`<p>&copy; 2024 ${plan.host.name}. ${s.rights}.</p></footer>`);
    out.push(`<script>document.querySelectorAll('nav a').forEach(function(a){a.addEventListener('click',function(){gtag('event','nav')})})</script>`);
    out.push(malformed ? '</div></span>\n<body><p>trailing' : '</body>\n</html>\n');
    return out.join('\n');
  }

  #json(plan: PagePlan): string {
    const rng = new Rng(plan.bodySeed);
    const items: Array<{ id: number; name: string; score: number }> = [];
    let size = 0;
    while (size < plan.targetBytes) {
      const item = { id: rng.int(1e6), name: `${rng.pick(WORDS.en)} ${rng.pick(WORDS.en)}`, score: Math.round(rng.next() * 1000) / 10 };
      items.push(item);
      size += 50;
    }
    return JSON.stringify({ url: plan.url, title: plan.title, items });
  }

  #pdf(plan: PagePlan): Buffer {
    const rng = new Rng(plan.bodySeed);
    const head = Buffer.from(`%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Title (${plan.title.replace(/[()\\]/g, '')}) >>\nendobj\nstream\n`, 'latin1');
    const body = Buffer.allocUnsafe(plan.targetBytes);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(rng.int(2 ** 32), Math.min(i, body.length - 4));
    return Buffer.concat([head, body, Buffer.from('\nendstream\n%%EOF\n')]);
  }

  sitemap(hostIndex: number, part: number | null): string {
    const pages = this.#model.opts.pagesPerHost;
    const origin = this.#model.host(hostIndex).origin;
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
    if (part === null && pages > SITEMAP_PAGE_SIZE) {
      lines.push('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
      for (let k = 0; k * SITEMAP_PAGE_SIZE < pages; k++) lines.push(`<sitemap><loc>${origin}/sitemap-${k}.xml</loc></sitemap>`);
      lines.push('</sitemapindex>');
      return lines.join('\n');
    }
    const from = (part ?? 0) * SITEMAP_PAGE_SIZE;
    const to = Math.min(pages, from + SITEMAP_PAGE_SIZE);
    lines.push('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    for (let i = from; i < to; i++) lines.push(`<url><loc>${origin}${this.#model.pagePath(i)}</loc></url>`);
    lines.push('</urlset>');
    return lines.join('\n');
  }
}

function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
