import { isIP } from 'node:net';
import { InvalidOptionError } from '../errors/index.js';
import { isPrivateAddress } from '../net/index.js';
import { is, resolveOptions } from '../options/index.js';
import { registeredDomain } from '../url/index.js';
import { BlockedPaths, DEFAULT_BLOCKED_PATHS } from './blocked-paths.js';
import { DomainList } from './domain-list.js';
import { compilePattern, type UrlPattern } from './url-pattern.js';

export interface PolicyOptions {
  /** Let IP-literal hosts in private, loopback and link-local ranges through (`--allow-private`). */
  allowPrivate: boolean;
  /** When not empty, only these domains (and their subdomains) are crawled. */
  allowDomains: string[];
  /** Never crawled, with their subdomains; wins over allowDomains. */
  denyDomains: string[];
  /** Discovered links (depth > 0) must match one of these when any are given. Globs or /regex/. */
  allowPatterns: string[];
  /** URLs matching any of these are refused, seeds included. */
  denyPatterns: string[];
  /** Where discovered links may lead, relative to the page they were found on. */
  scope: 'host' | 'domain' | 'any';
  maxDepth: number;
  blockedPaths: string[];
  maxUrlLength: number;
}

export type PolicyVerdict = { allowed: true } | { allowed: false; code: string; reason: string };

const DEFAULTS: PolicyOptions = {
  allowPrivate: false,
  allowDomains: [],
  denyDomains: [],
  allowPatterns: [],
  denyPatterns: [],
  scope: 'any',
  maxDepth: 0,
  blockedPaths: [...DEFAULT_BLOCKED_PATHS],
  // Sitemaps' limit, and about where servers and CDNs start answering 414.
  maxUrlLength: 2048,
};

const ALLOWED: PolicyVerdict = { allowed: true };

/**
 * The policy gate every URL passes before it enters the frontier and again before any request
 * (redirect targets included). Pure and synchronous: no DNS here — a host name that resolves to a
 * private address is caught by src/net after resolution; only IP literals are judged here.
 *
 * Allow patterns apply to discovered links only: they describe where a crawl may spread, and a
 * seed the user listed explicitly should not have to match them. Everything else applies to seeds
 * too. Scope is checked only when the caller says where the link was found (`scopeOf`).
 */
export class PolicyGate {
  readonly #opts: PolicyOptions;
  readonly #allowDomains: DomainList;
  readonly #denyDomains: DomainList;
  readonly #allowPatterns: UrlPattern[];
  readonly #denyPatterns: UrlPattern[];
  readonly #blocked: BlockedPaths;

  constructor(options: Omit<PolicyOptions, 'blockedPaths' | 'maxUrlLength'> & Partial<Pick<PolicyOptions, 'blockedPaths' | 'maxUrlLength'>>) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('policy', 'an options object', options);
    this.#opts = resolveOptions<PolicyOptions>('policy', DEFAULTS, {
      allowPrivate: [is.boolean, 'true or false'],
      allowDomains: [is.stringArray, 'an array of domains'],
      denyDomains: [is.stringArray, 'an array of domains'],
      allowPatterns: [is.stringArray, 'an array of globs or /regex/'],
      denyPatterns: [is.stringArray, 'an array of globs or /regex/'],
      scope: [is.oneOf('host', 'domain', 'any'), "'host', 'domain' or 'any'"],
      maxDepth: [(v: unknown): v is number => v === Infinity || is.int(0)(v), 'an integer >= 0 (or Infinity)'],
      blockedPaths: [is.stringArray, 'an array of paths such as /login'],
      maxUrlLength: [is.int(16), 'an integer >= 16'],
    }, options);
    this.#allowDomains = new DomainList(this.#opts.allowDomains, 'policy.allowDomains');
    this.#denyDomains = new DomainList(this.#opts.denyDomains, 'policy.denyDomains');
    this.#allowPatterns = this.#opts.allowPatterns.map((p) => compilePattern(p, 'policy.allowPatterns'));
    this.#denyPatterns = this.#opts.denyPatterns.map((p) => compilePattern(p, 'policy.denyPatterns'));
    this.#blocked = new BlockedPaths(this.#opts.blockedPaths);
  }

  check(url: string, ctx: { depth: number; scopeOf?: string }): PolicyVerdict {
    const o = this.#opts;
    if (url.length > o.maxUrlLength) return deny('JVX_ERR_POLICY_URL_TOO_LONG', `URL is ${url.length} characters, limit ${o.maxUrlLength}`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return deny('JVX_ERR_URL_INVALID', 'not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return deny('JVX_ERR_POLICY_SCHEME', `scheme ${parsed.protocol} is not http or https`);
    const host = parsed.hostname;
    if (!o.allowPrivate) {
      const literal = host.startsWith('[') ? host.slice(1, -1) : host;
      if (isIP(literal) !== 0 && isPrivateAddress(literal)) {
        return deny('JVX_ERR_POLICY_PRIVATE_ADDRESS', `${literal} is a private, loopback or link-local address (pass --allow-private to allow)`);
      }
    }
    if (this.#denyDomains.has(host)) return deny('JVX_ERR_POLICY_DOMAIN_DENIED', `${host} is in the deny list`);
    if (this.#allowDomains.size > 0 && !this.#allowDomains.has(host)) return deny('JVX_ERR_POLICY_DOMAIN_DENIED', `${host} is not in the allow list`);
    if (ctx.depth > o.maxDepth) return deny('JVX_ERR_POLICY_DEPTH', `depth ${ctx.depth} is beyond the limit ${o.maxDepth}`);
    if (ctx.scopeOf !== undefined && o.scope !== 'any' && !this.#inScope(host, ctx.scopeOf)) {
      return deny('JVX_ERR_POLICY_OUT_OF_SCOPE', `${host} is outside the ${o.scope} of ${ctx.scopeOf}`);
    }
    const blocked = this.#blocked.match(parsed.pathname);
    if (blocked !== undefined) return deny('JVX_ERR_POLICY_PATH_BLOCKED', `path ${parsed.pathname} is under blocked ${blocked}`);
    const denied = this.#denyPatterns.find((p) => p.test(url));
    if (denied !== undefined) return deny('JVX_ERR_POLICY_PATTERN_DENIED', `matches deny pattern ${denied.source}`);
    if (ctx.depth > 0 && this.#allowPatterns.length > 0 && !this.#allowPatterns.some((p) => p.test(url))) {
      return deny('JVX_ERR_POLICY_PATTERN_DENIED', 'matches no allow pattern');
    }
    return ALLOWED;
  }

  #inScope(host: string, scopeOf: string): boolean {
    let origin: string;
    try {
      origin = new URL(scopeOf).hostname;
    } catch {
      return false;
    }
    if (origin === host) return true;
    if (this.#opts.scope === 'host') return false;
    const domain = registeredDomain(host);
    return domain !== null && domain === registeredDomain(origin);
  }
}

function deny(code: string, reason: string): PolicyVerdict {
  return { allowed: false, code, reason };
}
