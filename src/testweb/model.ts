import { FAULT_KINDS, ROBOTS_VARIANTS, TRANSIENT_FAULTS, type FaultKind, type ResolvedTestWebOptions, type RobotsVariant } from './options.js';
import { Rng, unit } from './prng.js';
import { robotsTruth, type RobotsTruth } from './robots.js';
import { LANGUAGES, WORDS, type Language } from './words.js';

/**
 * The synthetic web as pure functions of (seed, host, path): which host speaks which language,
 * which URL is a product, which one fails and how. Nothing here is stored per page, so 10,000
 * hosts x 100,000 pages cost nothing until asked for.
 */
export type PageKind = 'page' | 'product' | 'article' | 'paywalled' | 'soft404' | 'pdf' | 'json';
export type CharsetDeclaration = 'header+meta' | 'meta' | 'header' | 'none';

export interface OutLink {
  /** Absolute URL. */
  readonly url: string;
  /** The href as written in the page (relative within the host). */
  readonly href: string;
  readonly text: string;
  readonly nofollow: boolean;
  readonly section: 'nav' | 'body' | 'footer';
}

export interface HostPlan {
  readonly index: number;
  readonly name: string;
  readonly origin: string;
  readonly language: Language;
  readonly robots: RobotsTruth;
  /** Multiplier of the latency median for this host (some hosts are slow). */
  readonly latencyFactor: number;
  readonly styleVariant: number;
}

export interface PagePlan {
  readonly host: HostPlan;
  readonly pageIndex: number;
  readonly path: string;
  readonly url: string;
  readonly kind: PageKind;
  readonly language: Language;
  readonly title: string;
  readonly description: string;
  readonly canonical: string;
  readonly targetBytes: number;
  readonly price: number | null;
  readonly currency: 'USD' | 'EUR' | null;
  readonly priceText: string | null;
  readonly metaNofollow: boolean;
  readonly charset: CharsetDeclaration;
  readonly links: readonly OutLink[];
  readonly lastModifiedMs: number;
  readonly bodySeed: number;
}

export type Route =
  | { type: 'robots' }
  | { type: 'sitemap'; part: number | null }
  | { type: 'page'; pageIndex: number }
  | { type: 'moved'; pageIndex: number }
  | { type: 'chain'; pageIndex: number; hop: number }
  | { type: 'loop'; pageIndex: number; hop: number }
  | { type: 'notFound' };

export const SITEMAP_PAGE_SIZE = 5000;
const EPOCH_2024 = Date.UTC(2024, 0, 1);

export class WebModel {
  readonly opts: ResolvedTestWebOptions;
  readonly #faultCumulative: Array<[FaultKind, number]> = [];
  readonly #robotsCumulative: Array<[RobotsVariant, number]> = [];
  readonly #hostCache = new Map<number, HostPlan>();

  constructor(opts: ResolvedTestWebOptions) {
    this.opts = opts;
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      acc += opts.faults[kind];
      this.#faultCumulative.push([kind, acc]);
    }
    acc = 0;
    for (const variant of ROBOTS_VARIANTS) {
      if (variant === 'allowAll') continue;
      acc += opts.robots[variant];
      this.#robotsCumulative.push([variant, acc]);
    }
  }

  hostName(index: number): string {
    return `site-${String(index).padStart(4, '0')}.test`;
  }

  /** The index of a synthetic host name, or undefined for any other host. */
  hostIndex(hostname: string): number | undefined {
    const m = /^site-(\d{4,5})\.test$/.exec(hostname.toLowerCase());
    if (!m) return undefined;
    const i = Number(m[1]);
    return i < this.opts.hosts && this.hostName(i) === hostname.toLowerCase() ? i : undefined;
  }

  host(index: number): HostPlan {
    let plan = this.#hostCache.get(index);
    if (plan) return plan;
    const seed = this.opts.seed;
    const name = this.hostName(index);
    const rng = Rng.of(seed, `host|${name}`);
    const language = rng.next() < 0.55 ? 'en' : LANGUAGES[1 + rng.int(3)]!;
    const r = unit(seed, `robots|${name}`);
    const variant = this.#robotsCumulative.find(([, c]) => r < c)?.[0] ?? 'allowAll';
    plan = {
      index,
      name,
      origin: `http://${name}`,
      language,
      robots: robotsTruth(variant, this.opts.crawlDelaySeconds),
      latencyFactor: Math.exp(this.opts.latency.sigma * 0.6 * rng.normal()),
      styleVariant: rng.int(16),
    };
    if (this.#hostCache.size >= 20_000) this.#hostCache.clear();
    this.#hostCache.set(index, plan);
    return plan;
  }

  pagePath(pageIndex: number): string {
    return pageIndex === 0 ? '/' : `/p/${pageIndex}`;
  }

  route(path: string): Route {
    const q = path.indexOf('?');
    const p = q >= 0 ? path.slice(0, q) : path;
    if (p === '/') return { type: 'page', pageIndex: 0 };
    if (p === '/robots.txt') return { type: 'robots' };
    if (p === '/sitemap.xml') return { type: 'sitemap', part: null };
    let m = /^\/sitemap-(\d+)\.xml$/.exec(p);
    if (m) {
      const part = Number(m[1]);
      return part * SITEMAP_PAGE_SIZE < this.opts.pagesPerHost ? { type: 'sitemap', part } : { type: 'notFound' };
    }
    m = /^\/(p|r|loop)\/([1-9]\d*)(?:\/(moved|\d+))?$/.exec(p);
    if (!m) return { type: 'notFound' };
    const pageIndex = Number(m[2]);
    if (pageIndex >= this.opts.pagesPerHost) return { type: 'notFound' };
    if (m[1] === 'p') {
      if (m[3] === undefined) return { type: 'page', pageIndex };
      return m[3] === 'moved' ? { type: 'moved', pageIndex } : { type: 'notFound' };
    }
    const hop = Number(m[3]);
    if (!Number.isInteger(hop) || hop < 1) return { type: 'notFound' };
    return m[1] === 'r' ? { type: 'chain', pageIndex, hop } : { type: 'loop', pageIndex, hop };
  }

  /** The planned fault of a page URL; the home page and non-page URLs never fail. */
  fault(hostIndex: number, pageIndex: number): FaultKind | null {
    if (pageIndex === 0) return null;
    const u = unit(this.opts.seed, `fault|${hostIndex}|${pageIndex}`);
    for (const [kind, c] of this.#faultCumulative) if (u < c) return kind;
    return null;
  }

  isTransient(fault: FaultKind | null): boolean {
    return fault !== null && TRANSIENT_FAULTS.has(fault);
  }

  /** Hops of a redirect chain for a page: 2 to 5. */
  chainLength(hostIndex: number, pageIndex: number): number {
    return 2 + Math.floor(unit(this.opts.seed, `chain|${hostIndex}|${pageIndex}`) * 4);
  }

  /** Planned time to first byte of a request for (host, path). */
  latencyMs(hostIndex: number, path: string): number {
    const l = this.opts.latency;
    if (l.kind === 'none' || l.medianMs === 0) return 0;
    if (l.kind === 'fixed') return l.medianMs;
    const z = Rng.of(this.opts.seed, `latency|${hostIndex}|${path}`).normal();
    const ms = l.medianMs * this.host(hostIndex).latencyFactor * Math.exp(l.sigma * 0.8 * z);
    return Math.min(l.maxMs, Math.round(ms));
  }

  page(hostIndex: number, pageIndex: number): PagePlan {
    const host = this.host(hostIndex);
    const seed = this.opts.seed;
    const rng = Rng.of(seed, `page|${hostIndex}|${pageIndex}`);
    const path = this.pagePath(pageIndex);
    const url = `${host.origin}${path}`;
    const k = rng.next();
    const kind: PageKind =
      pageIndex === 0 ? 'page' : k < 0.25 ? 'product' : k < 0.4 ? 'article' : k < 0.45 ? 'paywalled' : k < 0.48 ? 'soft404' : k < 0.49 ? 'pdf' : k < 0.5 ? 'json' : 'page';
    const language = rng.next() < 0.85 ? host.language : rng.pick(LANGUAGES);
    const words = WORDS[language];
    const titleWords = Array.from({ length: rng.range(2, 5) }, () => capitalize(rng.pick(words)));
    const title = kind === 'soft404' ? `${titleWords.join(' ')} ${pageIndex}` : `${titleWords.join(' ')} ${pageIndex} | ${capitalize(host.name.slice(0, 9))}`;
    const description = Array.from({ length: rng.range(10, 20) }, () => rng.pick(words)).join(' ') + '.';
    const sizeZ = rng.normal();
    const targetBytes =
      kind === 'pdf'
        ? 20_000 + rng.int(180_000)
        : kind === 'json'
          ? 2_000 + rng.int(8_000)
          : Math.round(Math.min(400_000, Math.max(4_000, 36_000 * Math.exp(0.6 * sizeZ))));
    let price: number | null = null;
    let currency: 'USD' | 'EUR' | null = null;
    let priceText: string | null = null;
    if (kind === 'product') {
      price = rng.range(3, 999) + rng.pick([0.99, 0.49, 0, 0.95]);
      currency = language === 'en' ? 'USD' : 'EUR';
      priceText = currency === 'USD' ? `$${price.toFixed(2)}` : `${price.toFixed(2).replace('.', ',')} €`;
    }
    const metaNofollow = rng.next() < 0.05;
    const c = rng.next();
    const charset: CharsetDeclaration = c < 0.85 ? 'header+meta' : c < 0.9 ? 'meta' : c < 0.95 ? 'header' : 'none';
    const links = kind === 'pdf' || kind === 'json' ? [] : this.#links(host, pageIndex, rng, words);
    return {
      host,
      pageIndex,
      path,
      url,
      kind,
      language,
      title,
      description,
      canonical: url,
      targetBytes,
      price,
      currency,
      priceText,
      metaNofollow,
      charset,
      links,
      lastModifiedMs: EPOCH_2024 + Math.floor(rng.next() * 365) * 86_400_000,
      bodySeed: rng.int(2 ** 32),
    };
  }

  #links(host: HostPlan, pageIndex: number, rng: Rng, words: readonly string[]): OutLink[] {
    const pages = this.opts.pagesPerHost;
    const hosts = this.opts.hosts;
    const out: OutLink[] = [];
    const local = (i: number, text: string, section: OutLink['section'], nofollow = false): void => {
      const path = this.pagePath(i);
      out.push({ url: `${host.origin}${path}`, href: path, text, nofollow, section });
    };
    local(0, 'Home', 'nav');
    for (let i = 1; i <= Math.min(5, pages - 1); i++) local(i, capitalize(words[(i * 7) % words.length]!), 'nav');
    // Skewed graph: low page and host indices are popular, like real link graphs.
    const localCount = pages > 1 ? rng.range(10, 40) : 0;
    for (let i = 0; i < localCount; i++) {
      const target = 1 + rng.skewed(pages - 1);
      if (target === pageIndex) continue;
      local(target, `${rng.pick(words)} ${rng.pick(words)}`, 'body', rng.next() < 0.05);
    }
    const crossCount = hosts > 1 ? rng.range(0, 8) : 0;
    for (let i = 0; i < crossCount; i++) {
      const h = rng.skewed(hosts, 2.5);
      if (h === host.index) continue;
      const p = rng.skewed(pages);
      const url = `http://${this.hostName(h)}${this.pagePath(p)}`;
      out.push({ url, href: url, text: `${rng.pick(words)} ${rng.pick(words)}`, nofollow: rng.next() < 0.2, section: 'body' });
    }
    local(0, 'About', 'footer');
    if (pages > 1) local(pages - 1, 'Archive', 'footer');
    return out;
  }
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
