import type { ArticleInfo, OrganizationInfo, ProductInfo } from './types.js';

/** What schema.org data (JSON-LD and microdata alike) says about the page. */
export interface StructuredFacts {
  product: ProductInfo | null;
  offerPrice: { price: number; currency: string | null } | null;
  organization: OrganizationInfo | null;
  article: ArticleInfo | null;
  /** `isAccessibleForFree: false` somewhere on the page. */
  notFree: boolean;
  /** The first `headline` string (Article, NewsArticle, BlogPosting, VideoObject...). */
  headline: string | null;
}

const PRODUCT_TYPES = new Set(['product', 'productgroup', 'individualproduct', 'productmodel', 'vehicle', 'car', 'book', 'softwareapplication']);
const OFFER_TYPES = new Set(['offer', 'aggregateoffer']);
const ORG_TYPES = new Set(['organization', 'corporation', 'localbusiness', 'newsmediaorganization', 'onlinestore', 'onlinebusiness', 'store', 'educationalorganization', 'ngo', 'governmentorganization']);
const ARTICLE_TYPES = new Set(['article', 'newsarticle', 'blogposting', 'report', 'scholarlyarticle', 'techarticle', 'analysisnewsarticle', 'reportagenewsarticle', 'opinionnewsarticle', 'review']);
const MAX_NODES = 5000;
const MAX_DEPTH = 12;

export function emptyFacts(): StructuredFacts {
  return { product: null, offerPrice: null, organization: null, article: null, notFree: false, headline: null };
}

/** Parses one `<script type="application/ld+json">` body leniently; null when it is not JSON. */
export function parseJsonLd(raw: string): unknown {
  let s = raw.trim();
  // Seen in the wild: HTML comments and CDATA wrappers around the JSON, trailing commas, raw newlines in strings.
  s = s.replace(/^<!--/, '').replace(/-->$/, '').replace(/^\/\/\s*<!\[CDATA\[/, '').replace(/\/\/\s*\]\]>$/, '').trim();
  try {
    return JSON.parse(s);
  } catch {
    try {
      // eslint-disable-next-line no-control-regex -- raw control characters are exactly what breaks JSON.parse here
      return JSON.parse(s.replace(/,\s*([}\]])/g, '$1').replace(/[\u0000-\u001f]+/g, ' '));
    } catch {
      return null;
    }
  }
}

/** Walks JSON-LD values (arrays, @graph, nested offers, mainEntity...) and microdata items into facts. */
export function collectFacts(roots: unknown[], facts: StructuredFacts = emptyFacts()): StructuredFacts {
  let visited = 0;
  const visit = (node: unknown, depth: number): void => {
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH || ++visited > MAX_NODES) return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, depth + 1);
      return;
    }
    const obj = node as Record<string, unknown>;
    const types = typeNames(obj['@type']);
    if (isFalse(obj.isAccessibleForFree)) facts.notFree = true;
    if (facts.headline === null && typeof obj.headline === 'string' && obj.headline.trim() !== '') facts.headline = obj.headline;
    if (types.some((t) => PRODUCT_TYPES.has(t)) && facts.product === null) facts.product = productOf(obj);
    if (types.some((t) => OFFER_TYPES.has(t)) && facts.offerPrice === null) facts.offerPrice = offerPrice(obj);
    if (types.some((t) => ORG_TYPES.has(t)) && facts.organization === null) {
      facts.organization = { name: str(obj.name), url: str(obj.url) ?? str(obj['@id']) };
    }
    if (types.some((t) => ARTICLE_TYPES.has(t)) && facts.article === null) {
      facts.article = { published: str(obj.datePublished) ?? str(obj.dateCreated), modified: str(obj.dateModified) };
    }
    for (const [key, value] of Object.entries(obj)) {
      if (key !== '@context' && value !== null && typeof value === 'object') visit(value, depth + 1);
    }
  };
  for (const root of roots) visit(root, 0);
  if (facts.product && facts.product.price === null && facts.offerPrice) {
    facts.product = { ...facts.product, price: facts.offerPrice.price, currency: facts.product.currency ?? facts.offerPrice.currency };
  }
  return facts;
}

function productOf(obj: Record<string, unknown>): ProductInfo {
  let price: number | null = null;
  let currency: string | null = null;
  const offers = Array.isArray(obj.offers) ? obj.offers : [obj.offers];
  for (const offer of offers) {
    if (offer === null || typeof offer !== 'object') continue;
    const found = offerPrice(offer as Record<string, unknown>);
    if (found) {
      price = found.price;
      currency = found.currency;
      break;
    }
  }
  return { name: str(obj.name), price, currency };
}

function offerPrice(offer: Record<string, unknown>): { price: number; currency: string | null } | null {
  let price = parsePrice(first(offer.price) ?? first(offer.lowPrice));
  let currency = str(first(offer.priceCurrency));
  const specs = offer.priceSpecification;
  if (price === null && specs !== null && typeof specs === 'object') {
    for (const spec of Array.isArray(specs) ? specs : [specs]) {
      if (spec === null || typeof spec !== 'object') continue;
      const s = spec as Record<string, unknown>;
      price = parsePrice(first(s.price) ?? first(s.minPrice));
      currency = currency ?? str(first(s.priceCurrency));
      if (price !== null) break;
    }
  }
  if (price === null) return null;
  return { price, currency: currency ? currency.toUpperCase() : null };
}

function typeNames(t: unknown): string[] {
  const list = Array.isArray(t) ? t : [t];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v !== 'string') continue;
    // "http://schema.org/Product", "schema:Product" and "Product" are the same type.
    const name = v.slice(Math.max(v.lastIndexOf('/'), v.lastIndexOf(':'), v.lastIndexOf('#')) + 1).toLowerCase();
    if (name) out.push(name);
  }
  return out;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    return str(o['@value'] ?? o.name ?? o['@id'] ?? null);
  }
  return null;
}

function isFalse(v: unknown): boolean {
  return v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false');
}

/** A price from a number or a string in either "1,299.00" or "1.299,00" notation; null if not a price. */
export function parsePrice(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  let s = v.replace(/[^\d.,]/g, '');
  if (!/\d/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    // "12,50" is a decimal comma; "1,299" is a thousands separator.
    s = /,\d{1,2}$/.test(s) && s.indexOf(',') === lastComma ? s.replace(',', '.') : s.replace(/,/g, '');
  } else if (lastDot >= 0 && s.indexOf('.') !== lastDot) {
    s = s.replace(/\.(?=.*\.)/g, '');
  }
  const n = Number.parseFloat(s);
  return Number.isFinite(n) && n >= 0 ? n : null;
}
