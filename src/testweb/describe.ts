import { JarvixError } from '../errors/index.js';
import type { FaultKind } from './options.js';
import type { CharsetDeclaration, OutLink, PageKind, WebModel } from './model.js';
import { crawlDelayFor, robotsAllowsPath, type RobotsTruth } from './robots.js';
import type { Language } from './words.js';

export class TestWebUrlError extends JarvixError {
  readonly url: string;
  constructor(url: string) {
    super('JVX_ERR_TESTWEB_UNKNOWN_URL', `${url} is not a URL of this synthetic web`);
    this.url = url;
  }
}

export type UrlKind = PageKind | 'sitemap' | 'robots' | 'redirect' | 'notFound';

/** Ground truth for one URL, computed without serving it. */
export interface UrlTruth {
  readonly url: string;
  readonly host: string;
  readonly hostIndex: number;
  readonly path: string;
  readonly pageIndex: number | null;
  readonly kind: UrlKind;
  /** Status once transient faults are spent; null when the server never answers (hang, robots timeout). */
  readonly status: number | null;
  readonly fault: FaultKind | null;
  /** The fault hits only the first `transientFaultCount` requests of the URL. */
  readonly transient: boolean;
  /** Redirect targets followed from this URL, in order (absolute). A loop lists one full cycle. */
  readonly redirects: readonly string[];
  /** Where redirects end (null for loops and non-redirects). */
  readonly finalUrl: string | null;
  readonly title: string | null;
  readonly description: string | null;
  readonly canonical: string | null;
  readonly language: Language | null;
  readonly price: number | null;
  readonly currency: 'USD' | 'EUR' | null;
  /** The price as shown on the page: `$49.99` or `49,99 €`. */
  readonly priceText: string | null;
  readonly outlinks: readonly OutLink[];
  readonly metaNofollow: boolean;
  /** Where the charset is declared (a badCharset fault declares the wrong one). */
  readonly charset: CharsetDeclaration | null;
  readonly contentType: string | null;
  readonly robots: RobotsTruth;
  /** Whether the host's robots.txt allows the path for a generic crawler (`*` group). */
  readonly robotsAllowed: boolean;
  readonly crawlDelaySeconds: number | null;
  /** Planned delay before the first byte. */
  readonly latencyMs: number;
}

/** The host of this synthetic web that `url` belongs to, and the parsed URL; throws TestWebUrlError otherwise. */
export function locateUrl(model: WebModel, url: string): { parsed: URL; hostIndex: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TestWebUrlError(url);
  }
  const hostIndex = model.hostIndex(parsed.hostname);
  if (hostIndex === undefined || parsed.protocol !== 'http:') throw new TestWebUrlError(url);
  return { parsed, hostIndex };
}

export function describeUrl(model: WebModel, url: string): UrlTruth {
  const { parsed, hostIndex } = locateUrl(model, url);
  const host = model.host(hostIndex);
  const path = parsed.pathname;
  const route = model.route(path);
  const base = {
    url: parsed.href,
    host: host.name,
    hostIndex,
    path,
    pageIndex: null,
    fault: null,
    transient: false,
    redirects: [],
    finalUrl: null,
    title: null,
    description: null,
    canonical: null,
    language: null,
    price: null,
    currency: null,
    priceText: null,
    outlinks: [],
    metaNofollow: false,
    charset: null,
    contentType: null,
    robots: host.robots,
    robotsAllowed: robotsAllowsPath(host.robots, path, '*'),
    crawlDelaySeconds: crawlDelayFor(host.robots, '*'),
    latencyMs: model.latencyMs(hostIndex, path),
  } satisfies Partial<UrlTruth>;
  const at = (p: string): string => `${host.origin}${p}`;
  switch (route.type) {
    case 'robots':
      return { ...base, kind: 'robots', status: host.robots.status, contentType: 'text/plain; charset=utf-8' };
    case 'sitemap':
      return { ...base, kind: 'sitemap', status: 200, contentType: 'application/xml; charset=utf-8' };
    case 'notFound':
      return { ...base, kind: 'notFound', status: 404, contentType: 'text/html; charset=utf-8' };
    case 'chain': {
      const length = model.chainLength(hostIndex, route.pageIndex);
      if (model.fault(hostIndex, route.pageIndex) !== 'redirectChain' || route.hop >= length) return { ...base, kind: 'notFound', status: 404 };
      const redirects: string[] = [];
      for (let k = route.hop + 1; k < length; k++) redirects.push(at(`/r/${route.pageIndex}/${k}`));
      redirects.push(at(`/p/${route.pageIndex}/moved`));
      return { ...base, kind: 'redirect', status: 302, redirects, finalUrl: redirects[redirects.length - 1]! };
    }
    case 'loop': {
      if (model.fault(hostIndex, route.pageIndex) !== 'redirectLoop' || route.hop > 2) return { ...base, kind: 'notFound', status: 404 };
      const cycle = [at(`/loop/${route.pageIndex}/1`), at(`/loop/${route.pageIndex}/2`), at(`/p/${route.pageIndex}`)];
      const redirects = [...cycle.slice(route.hop), ...cycle.slice(0, route.hop)];
      return { ...base, kind: 'redirect', status: 302, redirects };
    }
    case 'page':
    case 'moved': {
      const plan = model.page(hostIndex, route.pageIndex);
      const fault = route.type === 'moved' ? null : model.fault(hostIndex, route.pageIndex);
      const pageTruth = {
        ...base,
        pageIndex: route.pageIndex,
        kind: plan.kind,
        fault,
        transient: model.isTransient(fault),
        title: plan.kind === 'pdf' ? null : plan.title,
        description: plan.kind === 'pdf' || plan.kind === 'json' ? null : plan.description,
        canonical: plan.canonical,
        language: plan.language,
        price: plan.price,
        currency: plan.currency,
        priceText: plan.priceText,
        outlinks: plan.links,
        metaNofollow: plan.metaNofollow,
        charset: plan.kind === 'pdf' ? null : plan.charset,
        contentType: plan.kind === 'pdf' ? 'application/pdf' : plan.kind === 'json' ? 'application/json; charset=utf-8' : 'text/html',
      };
      if (route.type === 'moved' && model.fault(hostIndex, route.pageIndex) !== 'redirectChain') return { ...base, kind: 'notFound', status: 404 };
      if (fault === 'redirectChain') {
        const length = model.chainLength(hostIndex, route.pageIndex);
        const redirects: string[] = [];
        for (let k = 1; k < length; k++) redirects.push(at(`/r/${route.pageIndex}/${k}`));
        redirects.push(at(`/p/${route.pageIndex}/moved`));
        return { ...pageTruth, status: 301, redirects, finalUrl: redirects[redirects.length - 1]! };
      }
      if (fault === 'redirectLoop') {
        return { ...pageTruth, status: 302, redirects: [at(`/loop/${route.pageIndex}/1`), at(`/loop/${route.pageIndex}/2`), at(`/p/${route.pageIndex}`)] };
      }
      return { ...pageTruth, status: 200 };
    }
  }
}

export function robotsAllowsUrl(model: WebModel, url: string, userAgent: string): boolean {
  const parsed = new URL(url);
  const hostIndex = model.hostIndex(parsed.hostname);
  if (hostIndex === undefined) throw new TestWebUrlError(url);
  return robotsAllowsPath(model.host(hostIndex).robots, parsed.pathname, userAgent);
}
