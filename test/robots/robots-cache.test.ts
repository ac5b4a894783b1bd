import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RobotsCache, type RobotsFetchResult } from '../../src/robots/index.js';

/** A real robots.txt server on loopback; each host name (via Host header) gets its own answer. */
interface Answer { status: number; body?: string; delayMs?: number }

describe('RobotsCache against a real server', () => {
  let server: Server;
  let port: number;
  let answers: Map<string, Answer>;
  let hits: Map<string, number>;
  let clock: number;

  const fetchRobots = async (origin: string): Promise<RobotsFetchResult> => {
    // The server answers by Host header; the connection always goes to 127.0.0.1.
    const u = new URL(origin);
    const res = await request(`http://127.0.0.1:${u.port || port}/robots.txt`, { headers: { host: u.host } });
    const body = await res.body.text();
    return { status: res.statusCode, body: res.statusCode < 300 ? body : null };
  };
  const cache = (extra: Partial<ConstructorParameters<typeof RobotsCache>[0]> = {}): RobotsCache =>
    new RobotsCache({ userAgent: 'jarvix', fetchRobots, now: () => clock, ...extra });

  beforeEach(async () => {
    answers = new Map();
    hits = new Map();
    clock = 1_000_000;
    server = createServer((req, res) => {
      const host = (req.headers.host ?? '').split(':')[0]!;
      hits.set(host, (hits.get(host) ?? 0) + 1);
      const a = answers.get(host) ?? { status: 404 };
      setTimeout(() => {
        res.writeHead(a.status, { 'content-type': 'text/plain' });
        res.end(a.body ?? '');
      }, a.delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const url = (host: string, path: string): string => `http://${host}:${port}${path}`;

  it('applies the file’s rules and Crawl-delay, fetching once per origin', async () => {
    answers.set('a.test', { status: 200, body: 'User-agent: *\nDisallow: /private\nCrawl-delay: 3\n\nUser-agent: jarvix\nDisallow: /no-jarvix\nCrawl-delay: 1.5\n' });
    const rc = cache();
    expect(await rc.check(url('a.test', '/no-jarvix/x'))).toEqual({ allowed: false, crawlDelayMs: 1500, source: 'robots.txt' });
    expect(await rc.check(url('a.test', '/private'))).toEqual({ allowed: true, crawlDelayMs: 1500, source: 'robots.txt' });
    expect(await rc.check(url('a.test', '/ok?q=1'))).toMatchObject({ allowed: true });
    expect(hits.get('a.test')).toBe(1);
    expect(rc.fetches).toBe(1);
  });

  it('shares one in-flight fetch between concurrent checks of an origin', async () => {
    answers.set('slow.test', { status: 200, body: 'User-agent: *\nDisallow: /x\n', delayMs: 50 });
    const rc = cache();
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => rc.check(url('slow.test', i % 2 ? '/x/1' : '/y'))));
    expect(hits.get('slow.test')).toBe(1);
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
  });

  it('4xx means allow all', async () => {
    answers.set('gone.test', { status: 404 });
    answers.set('forbidden.test', { status: 403 });
    const rc = cache();
    expect(await rc.check(url('gone.test', '/anything'))).toEqual({ allowed: true, source: '4xx: allow all' });
    expect(await rc.check(url('forbidden.test', '/anything'))).toEqual({ allowed: true, source: '4xx: allow all' });
  });

  it('5xx means disallow all, retried after unreachableTtlMs', async () => {
    answers.set('down.test', { status: 503 });
    const rc = cache({ unreachableTtlMs: 600_000 });
    expect(await rc.check(url('down.test', '/a'))).toEqual({ allowed: false, source: '5xx: disallow all' });
    clock += 599_999;
    expect((await rc.check(url('down.test', '/a'))).allowed).toBe(false);
    expect(hits.get('down.test')).toBe(1);
    answers.set('down.test', { status: 200, body: 'User-agent: *\nDisallow:\n' });
    clock += 2;
    expect(await rc.check(url('down.test', '/a'))).toEqual({ allowed: true, source: 'robots.txt' });
    expect(hits.get('down.test')).toBe(2);
  });

  it('429 is treated as unreachable, not as 4xx', async () => {
    answers.set('busy.test', { status: 429 });
    expect(await cache().check(url('busy.test', '/a'))).toEqual({ allowed: false, source: '429: disallow all' });
  });

  it('a network failure means disallow all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const rc = cache({
      fetchRobots: async (origin) => {
        const res = await request(`http://127.0.0.1:${deadPort}/robots.txt`, { headers: { host: new URL(origin).host } });
        return { status: res.statusCode, body: await res.body.text() };
      },
    });
    expect(await rc.check('http://dead.test/x')).toEqual({ allowed: false, source: 'unreachable: disallow all' });
    expect(await rc.check('http://dead2.test/x')).toMatchObject({ allowed: false });
  });

  it('keeps a fetched file for ttlMs, then fetches it again', async () => {
    answers.set('a.test', { status: 200, body: 'User-agent: *\nDisallow: /x\n' });
    const rc = cache({ ttlMs: 1000 });
    expect((await rc.check(url('a.test', '/x'))).allowed).toBe(false);
    answers.set('a.test', { status: 200, body: 'User-agent: *\nDisallow:\n' });
    clock += 1000;
    expect((await rc.check(url('a.test', '/x'))).allowed).toBe(true);
    expect(hits.get('a.test')).toBe(2);
  });

  it('never fetches for /robots.txt itself, and scopes by origin (port included)', async () => {
    answers.set('a.test', { status: 200, body: 'User-agent: *\nDisallow: /\n' });
    const rc = cache();
    expect(await rc.check(url('a.test', '/robots.txt'))).toMatchObject({ allowed: true });
    expect(rc.fetches).toBe(0);
    await rc.check(url('a.test', '/'));
    await rc.check(`http://a.test:${port}/`);
    await rc.check(`https://a.test:${port}/`);
    expect(rc.fetches).toBe(2);
  });

  it('stays within maxEntries (LRU)', async () => {
    const rc = cache({ maxEntries: 3 });
    for (const h of ['a', 'b', 'c', 'a', 'd']) await rc.check(url(`${h}.test`, '/'));
    expect(rc.size).toBe(3);
    await rc.check(url('a.test', '/')); // recently used: still cached
    expect(hits.get('a.test')).toBe(1);
    await rc.check(url('b.test', '/')); // evicted: fetched again
    expect(hits.get('b.test')).toBe(2);
  });

  it('validates its options', () => {
    expect(() => new RobotsCache({ userAgent: '', fetchRobots })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => new RobotsCache({ userAgent: 'jarvix', fetchRobots, ttlMs: -1 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => new RobotsCache({ userAgent: 'jarvix', fetchRobots, bogus: 1 } as never)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_UNKNOWN' }));
  });
});
