import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCKED_PATHS, PolicyGate } from '../../src/policy/index.js';

const base = {
  allowPrivate: false,
  allowDomains: [] as string[],
  denyDomains: [] as string[],
  allowPatterns: [] as string[],
  denyPatterns: [] as string[],
  scope: 'any' as const,
  maxDepth: 3,
};
const gate = (o: Partial<ConstructorParameters<typeof PolicyGate>[0]> = {}): PolicyGate => new PolicyGate({ ...base, ...o });
const code = (g: PolicyGate, url: string, ctx: { depth: number; scopeOf?: string } = { depth: 0 }): string | true => {
  const v = g.check(url, ctx);
  return v.allowed ? true : v.code;
};

describe('PolicyGate', () => {
  it('allows an ordinary URL and gives a reason when it refuses', () => {
    const g = gate();
    expect(g.check('https://shop.test/p/1', { depth: 0 })).toEqual({ allowed: true });
    const v = g.check('ftp://shop.test/p/1', { depth: 0 });
    expect(v).toMatchObject({ allowed: false, code: 'JVX_ERR_POLICY_SCHEME' });
    expect(v.allowed ? '' : v.reason).toMatch(/ftp/);
  });

  it('refuses other schemes and unparsable URLs', () => {
    const g = gate();
    expect(code(g, 'mailto:a@b.test')).toBe('JVX_ERR_POLICY_SCHEME');
    expect(code(g, 'javascript:void(0)')).toBe('JVX_ERR_POLICY_SCHEME');
    expect(code(g, 'not a url')).toBe('JVX_ERR_URL_INVALID');
  });

  it('refuses URLs longer than maxUrlLength', () => {
    const g = gate({ maxUrlLength: 100 });
    expect(code(g, `https://a.test/${'x'.repeat(80)}`)).toBe(true);
    expect(code(g, `https://a.test/${'x'.repeat(90)}`)).toBe('JVX_ERR_POLICY_URL_TOO_LONG');
    expect(code(gate(), `https://a.test/${'x'.repeat(3000)}`)).toBe('JVX_ERR_POLICY_URL_TOO_LONG');
  });

  it('refuses private and loopback IP literals unless allowPrivate', () => {
    const g = gate();
    for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[fe80::1]/', 'http://0x7f.1/']) {
      expect(code(g, url), url).toBe('JVX_ERR_POLICY_PRIVATE_ADDRESS');
    }
    expect(code(g, 'http://93.184.216.34/')).toBe(true);
    expect(code(g, 'http://localhost.test/')).toBe(true); // names are judged after DNS, by src/net
    expect(code(gate({ allowPrivate: true }), 'http://127.0.0.1:8080/')).toBe(true);
  });

  it('denies listed domains with their subdomains, and only those', () => {
    const g = gate({ denyDomains: ['Bad.test', '.evil.test'] });
    expect(code(g, 'https://bad.test/')).toBe('JVX_ERR_POLICY_DOMAIN_DENIED');
    expect(code(g, 'https://www.bad.test/')).toBe('JVX_ERR_POLICY_DOMAIN_DENIED');
    expect(code(g, 'https://a.b.evil.test/')).toBe('JVX_ERR_POLICY_DOMAIN_DENIED');
    expect(code(g, 'https://notbad.test/')).toBe(true);
    expect(code(g, 'https://bad.test.good.test/')).toBe(true);
  });

  it('with an allow list, refuses every other domain; deny wins over allow', () => {
    const g = gate({ allowDomains: ['shop.test', 'bücher.test'], denyDomains: ['admin.shop.test'] });
    expect(code(g, 'https://shop.test/')).toBe(true);
    expect(code(g, 'https://cdn.shop.test/x')).toBe(true);
    expect(code(g, 'https://xn--bcher-kva.test/')).toBe(true);
    expect(code(g, 'https://other.test/')).toBe('JVX_ERR_POLICY_DOMAIN_DENIED');
    expect(code(g, 'https://admin.shop.test/')).toBe('JVX_ERR_POLICY_DOMAIN_DENIED');
  });

  it('blocks the default JARVIX paths, segment-aware and case-insensitive', () => {
    expect(DEFAULT_BLOCKED_PATHS).toEqual(['/login', '/auth', '/account', '/subscribe', '/admin', '/messages']);
    const g = gate();
    for (const path of ['/login', '/login/', '/login?next=/x', '/auth/callback', '/account/settings', '/subscribe', '/ADMIN/users', '/messages/1']) {
      expect(code(g, `https://a.test${path}`), path).toBe('JVX_ERR_POLICY_PATH_BLOCKED');
    }
    for (const path of ['/loginpage', '/administration', '/blog/login', '/accounts-payable', '/']) {
      expect(code(g, `https://a.test${path}`), path).toBe(true);
    }
  });

  it('uses a given blocked-path list instead of the default', () => {
    const g = gate({ blockedPaths: ['/cart/'] });
    expect(code(g, 'https://a.test/cart/1')).toBe('JVX_ERR_POLICY_PATH_BLOCKED');
    expect(code(g, 'https://a.test/login')).toBe(true);
    expect(code(gate({ blockedPaths: [] }), 'https://a.test/admin')).toBe(true);
  });

  it('refuses URLs deeper than maxDepth', () => {
    const g = gate({ maxDepth: 2 });
    expect(code(g, 'https://a.test/x', { depth: 2 })).toBe(true);
    expect(code(g, 'https://a.test/x', { depth: 3 })).toBe('JVX_ERR_POLICY_DEPTH');
    expect(code(gate({ maxDepth: 0 }), 'https://a.test/x', { depth: 1 })).toBe('JVX_ERR_POLICY_DEPTH');
  });

  it('keeps discovered links within scope host or domain (public-suffix aware)', () => {
    const host = gate({ scope: 'host' });
    const from = 'https://www.shop.co.uk/category';
    expect(code(host, 'https://www.shop.co.uk:8443/p/1', { depth: 1, scopeOf: from })).toBe(true);
    expect(code(host, 'https://cdn.shop.co.uk/p/1', { depth: 1, scopeOf: from })).toBe('JVX_ERR_POLICY_OUT_OF_SCOPE');
    const domain = gate({ scope: 'domain' });
    expect(code(domain, 'https://cdn.shop.co.uk/p/1', { depth: 1, scopeOf: from })).toBe(true);
    expect(code(domain, 'https://other.co.uk/p/1', { depth: 1, scopeOf: from })).toBe('JVX_ERR_POLICY_OUT_OF_SCOPE');
    expect(code(domain, 'https://bob.github.io/', { depth: 1, scopeOf: 'https://alice.github.io/' })).toBe('JVX_ERR_POLICY_OUT_OF_SCOPE');
    expect(code(gate({ scope: 'any' }), 'https://other.test/', { depth: 1, scopeOf: from })).toBe(true);
    // Without scopeOf (a seed, or a URL re-checked before fetching) scope does not apply.
    expect(code(host, 'https://elsewhere.test/', { depth: 0 })).toBe(true);
  });

  it('denies URLs matching a deny glob or regex, seeds included', () => {
    const g = gate({ denyPatterns: ['*/tag/*', '/\\?sessionid=/i', '*.pdf'] });
    expect(code(g, 'https://a.test/tag/shoes')).toBe('JVX_ERR_POLICY_PATTERN_DENIED');
    expect(code(g, 'https://a.test/p?SESSIONID=1')).toBe('JVX_ERR_POLICY_PATTERN_DENIED');
    expect(code(g, 'https://a.test/doc.pdf')).toBe('JVX_ERR_POLICY_PATTERN_DENIED');
    expect(code(g, 'https://a.test/doc.pdf?x')).toBe(true); // globs match the whole URL
    expect(code(g, 'https://a.test/tags')).toBe(true);
  });

  it('requires discovered links (not seeds) to match an allow pattern when any are given', () => {
    const g = gate({ allowPatterns: ['https://shop.test/products/*', '/\\/p\\/\\d+$/'] });
    expect(code(g, 'https://shop.test/', { depth: 0 })).toBe(true);
    expect(code(g, 'https://shop.test/products/1', { depth: 1 })).toBe(true);
    expect(code(g, 'https://shop.test/p/42', { depth: 1 })).toBe(true);
    expect(code(g, 'https://shop.test/about', { depth: 1 })).toBe('JVX_ERR_POLICY_PATTERN_DENIED');
  });

  it('matches many-star globs without backtracking blow-up', () => {
    const g = gate({ denyPatterns: [`${'*a'.repeat(30)}*b`], maxUrlLength: 100_000 });
    expect(code(g, `https://a.test/${'a'.repeat(20_000)}`)).toBe(true);
    expect(code(g, `https://a.test/${'a'.repeat(40)}b`)).toBe('JVX_ERR_POLICY_PATTERN_DENIED');
  });

  it('validates options and patterns at construction, naming the bad one', () => {
    expect(() => gate({ denyPatterns: ['/([a-z/'] })).toThrow(expect.objectContaining({ code: 'JVX_ERR_POLICY_BAD_PATTERN', pattern: '/([a-z/' }));
    expect(() => gate({ allowPatterns: [''] })).toThrow(expect.objectContaining({ code: 'JVX_ERR_POLICY_BAD_PATTERN' }));
    expect(() => gate({ denyPatterns: ['/x/g'] })).toThrow(expect.objectContaining({ code: 'JVX_ERR_POLICY_BAD_PATTERN', pattern: '/x/g' }));
    expect(() => gate({ denyDomains: ['http://bad.test/'] })).toThrow(expect.objectContaining({ code: 'JVX_ERR_POLICY_BAD_DOMAIN', pattern: 'http://bad.test/' }));
    expect(() => gate({ scope: 'planet' as never })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID', option: 'policy.scope' }));
    expect(() => gate({ maxDepth: -1 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID', option: 'policy.maxDepth' }));
    expect(() => new PolicyGate({ ...base, unknown: 1 } as never)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_UNKNOWN' }));
  });
});
