import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestWeb, ROBOTS_VARIANTS, type TestWeb } from '../../src/testweb/index.js';
import { rawGet } from '../helpers/raw-http.js';

const identity = { headers: { 'accept-encoding': 'identity' } };

describe('synthetic web: determinism and content', () => {
  let a: TestWeb;
  let b: TestWeb;
  let c: TestWeb;
  beforeAll(async () => {
    const common = { hosts: 30, pagesPerHost: 500, latency: { kind: 'none' as const }, faults: 0 };
    [a, b, c] = await Promise.all([startTestWeb({ ...common, seed: 5 }), startTestWeb({ ...common, seed: 5 }), startTestWeb({ ...common, seed: 6 })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
  });

  it('serves the same bytes for the same seed, other bytes for another seed', async () => {
    const paths = ['/', '/p/1', '/p/17', '/p/499', '/robots.txt', '/sitemap.xml'];
    let differ = 0;
    for (const host of ['site-0000.test', 'site-0007.test', 'site-0029.test']) {
      for (const path of paths) {
        // A robots.txt that times out on purpose (under either seed) answers nothing: short timeout.
        const opts = { ...identity, timeoutMs: 1_000 };
        const [ra, rb, rc] = await Promise.all([rawGet(a.port, host, path, opts), rawGet(b.port, host, path, opts), rawGet(c.port, host, path, opts)]);
        expect(ra.status).toBe(rb.status);
        expect(ra.body.equals(rb.body), `${host}${path}`).toBe(true);
        if (!ra.body.equals(rc.body)) differ++;
      }
    }
    expect(differ).toBeGreaterThan(10);
  });

  it('serves realistic pages: head metadata, nav, footer, scripts, links, sizes', async () => {
    const sizes: number[] = [];
    let products = 0;
    let paywalled = 0;
    let soft404 = 0;
    for (let p = 0; p < 200; p++) {
      const truth = a.describe(a.url(3, p));
      const res = await rawGet(a.port, truth.host, truth.path, identity);
      expect(res.status).toBe(200);
      if (truth.kind === 'pdf' || truth.kind === 'json') continue;
      const html = res.body.toString('utf8');
      sizes.push(res.body.length);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      for (const needle of ['<title>', '<meta name="description"', '<link rel="canonical"', 'og:title', '<nav>', '<footer>', '<style>', '<script>']) {
        expect(html, needle).toContain(needle);
      }
      expect(html).toContain(`<html lang="${truth.language}">`);
      if (truth.kind === 'product') {
        products++;
        expect(html).toContain('"@type":"Product"');
        expect(html).toContain(truth.priceText!);
      }
      if (truth.kind === 'paywalled') {
        paywalled++;
        expect(html).toContain('"isAccessibleForFree":false');
      }
      if (truth.kind === 'soft404') soft404++;
      const cross = truth.outlinks.filter((l) => !l.url.startsWith(`http://${truth.host}/`));
      for (const l of cross) expect(html).toContain(`href="${l.url}"`);
    }
    sizes.sort((x, y) => x - y);
    const median = sizes[Math.floor(sizes.length / 2)]!;
    expect(median).toBeGreaterThan(20_000);
    expect(median).toBeLessThan(60_000);
    expect(products).toBeGreaterThan(20);
    expect(paywalled).toBeGreaterThan(0);
    expect(soft404).toBeGreaterThan(0);
  });

  it('links across hosts with a skewed graph: popular hosts get most inbound links', () => {
    const inbound = new Map<string, number>();
    for (let h = 0; h < 30; h++) {
      for (let p = 0; p < 50; p++) {
        for (const l of a.describe(a.url(h, p)).outlinks) {
          const host = new URL(l.url).hostname;
          if (host !== a.model.hostName(h)) inbound.set(host, (inbound.get(host) ?? 0) + 1);
        }
      }
    }
    const counts = [...inbound.values()].sort((x, y) => y - x);
    const total = counts.reduce((s, n) => s + n, 0);
    expect(total).toBeGreaterThan(1000);
    // Top 10% of hosts hold far more than 10% of the inbound links.
    expect(counts.slice(0, 3).reduce((s, n) => s + n, 0) / total).toBeGreaterThan(0.3);
  });

  it('serves sitemaps listing every page', async () => {
    const res = await rawGet(a.port, 'site-0002.test', '/sitemap.xml', identity);
    const locs = res.body.toString('utf8').match(/<loc>/g) ?? [];
    expect(locs).toHaveLength(500);
  });

  it('compresses per Accept-Encoding and answers conditional requests', async () => {
    const host = 'site-0001.test';
    const plain = await rawGet(a.port, host, '/p/2', identity);
    const gz = await rawGet(a.port, host, '/p/2', { headers: { 'accept-encoding': 'gzip' } });
    const br = await rawGet(a.port, host, '/p/2', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gz.body.length).toBeLessThan(plain.body.length / 2);

    const etag = String(plain.headers.etag);
    const lastModified = String(plain.headers['last-modified']);
    expect((await rawGet(a.port, host, '/p/2', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await rawGet(a.port, host, '/p/2', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    expect((await rawGet(a.port, host, '/p/2', { headers: { 'if-none-match': 'W/"other"' } })).status).toBe(200);
    const head = await rawGet(a.port, host, '/p/2', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.bodyBytes).toBe(0);
  });

  it('keeps connections alive and tells unknown hosts apart', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const r1 = await rawGet(a.port, 'site-0004.test', '/p/1', { agent });
      const r2 = await rawGet(a.port, 'site-0004.test', '/p/2', { agent });
      expect(r1.socketId).toBe(r2.socketId);
    } finally {
      agent.destroy();
    }
    expect((await rawGet(a.port, 'example.com', '/')).status).toBe(404);
    expect((await rawGet(a.port, 'site-0030.test', '/')).status).toBe(404);
    expect((await rawGet(a.port, 'site-0001.test', '/p/500')).status).toBe(404);
    expect((await rawGet(a.port, 'site-0001.test', '/', { method: 'POST' })).status).toBe(405);
  });
});

describe('synthetic web: robots.txt variants', () => {
  let web: TestWeb;
  beforeAll(async () => {
    web = await startTestWeb({ seed: 3, hosts: 10_000, pagesPerHost: 100_000, latency: { kind: 'none' }, faults: 0 });
  });
  afterAll(() => web?.close());

  it('plans variants at their configured rates over 10,000 hosts', () => {
    const counts = new Map<string, number>();
    for (let h = 0; h < 10_000; h++) {
      const v = web.model.host(h).robots.variant;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const rates = web.options.robots;
    for (const v of ROBOTS_VARIANTS) {
      const expected = v === 'allowAll' ? 1 - Object.values(rates).reduce((s, r) => s + r, 0) : rates[v];
      expect((counts.get(v) ?? 0) / 10_000, v).toBeGreaterThan(expected * 0.8);
      expect((counts.get(v) ?? 0) / 10_000, v).toBeLessThan(expected * 1.2 + 0.005);
    }
  });

  it('serves each variant as planned', async () => {
    const firstHost = (variant: string): string => {
      for (let h = 0; h < 10_000; h++) if (web.model.host(h).robots.variant === variant) return web.model.hostName(h);
      throw new Error(variant);
    };
    const get = (variant: string, timeoutMs = 5_000) => rawGet(web.port, firstHost(variant), '/robots.txt', { timeoutMs });
    const allow = await get('allowAll');
    expect(allow.status).toBe(200);
    expect(allow.body.toString()).toMatch(/User-agent: \*\nDisallow: \n/);
    const disallow = await get('disallow');
    expect(disallow.body.toString()).toContain('Disallow: /p/1\n');
    expect(disallow.body.toString()).toContain('Allow: /p/10\n');
    expect((await get('crawlDelay')).body.toString()).toMatch(/Crawl-delay: \d/);
    const malformed = await get('malformed');
    expect(malformed.status).toBe(200);
    expect(malformed.body.toString()).not.toMatch(/^User-agent:/m);
    expect((await get('notFound')).status).toBe(404);
    expect((await get('serverError')).status).toBe(500);
    expect((await get('timeout', 300)).outcome).toBe('timeout');
  });

  it('reaches the far corner of 10,000 hosts x 100,000 pages on demand', async () => {
    const res = await rawGet(web.port, 'site-9999.test', '/p/99999', identity);
    expect(res.status).toBe(200);
    expect(web.describe('http://site-9999.test/p/99999').pageIndex).toBe(99_999);
  });
});

describe('synthetic web: latency and the server-side record', () => {
  it('draws a log-normal latency with a median near the setting and a heavy tail', async () => {
    const web = await startTestWeb({ seed: 9, hosts: 200, pagesPerHost: 1000, faults: 0, latency: { kind: 'lognormal', medianMs: 100 } });
    try {
      const samples: number[] = [];
      for (let h = 0; h < 200; h++) for (let p = 0; p < 50; p++) samples.push(web.model.latencyMs(h, web.model.pagePath(p)));
      samples.sort((x, y) => x - y);
      const q = (f: number): number => samples[Math.floor(f * (samples.length - 1))]!;
      expect(q(0.5)).toBeGreaterThan(70);
      expect(q(0.5)).toBeLessThan(140);
      expect(q(0.99)).toBeGreaterThan(3 * q(0.5));
      // And it is applied: the server waited at least the planned time before answering.
      const path = '/p/3';
      const planned = web.model.latencyMs(5, path);
      await rawGet(web.port, 'site-0005.test', path);
      const served = web.record.hosts.get('site-0005.test')!.requests[0]!;
      expect(served.end - served.start).toBeGreaterThanOrEqual(planned - 1);
    } finally {
      await web.close();
    }
  });

  it('records concurrency, gaps and counts per host exactly as a client behaved', async () => {
    const web = await startTestWeb({ seed: 2, hosts: 5, pagesPerHost: 100, faults: 0, latency: { kind: 'fixed', medianMs: 60 } });
    try {
      // Host 1: three requests at once on three connections.
      await Promise.all([1, 2, 3].map((p) => rawGet(web.port, 'site-0001.test', `/p/${p}`)));
      // Host 2: one at a time, 40 ms after each answer arrived, on one keep-alive connection.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (const p of [1, 2, 3, 4]) {
        await rawGet(web.port, 'site-0002.test', `/p/${p}`, { agent });
        await sleep(40);
      }
      agent.destroy();
      const one = web.record.hosts.get('site-0001.test')!;
      const two = web.record.hosts.get('site-0002.test')!;
      expect(one.totalRequests).toBe(3);
      expect(one.maxConcurrentRequests).toBe(3);
      expect(one.maxConcurrentConnections).toBe(3);
      expect(two.totalRequests).toBe(4);
      expect(two.maxConcurrentRequests).toBe(1);
      expect(two.maxConcurrentConnections).toBe(1);
      // The server saw each request end before the client did, so its gap is at least the client's.
      expect(web.record.minGapMs('site-0002.test')!).toBeGreaterThanOrEqual(39);
      expect(web.record.minGapMs('site-0001.test')!).toBeLessThan(0);
      for (const r of [...one.requests, ...two.requests]) {
        expect(r.status).toBe(200);
        expect(r.end).toBeGreaterThanOrEqual(r.start + 59);
      }
      const summary = web.record.summary();
      expect(summary.totalRequests).toBe(7);
      expect(summary.hosts['site-0002.test']!.statusCounts).toEqual({ 200: 4 });
      web.resetRecord();
      expect(web.record.summary().totalRequests).toBe(0);
    } finally {
      await web.close();
    }
  });

  it('rejects bad options naming the option', async () => {
    await expect(startTestWeb({ hosts: 0 })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'testweb.hosts' });
    await expect(startTestWeb({ pagesPerHost: 100_001 })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID' });
    await expect(startTestWeb({ faults: { http500: 0.9, reset: 0.2 } })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID' });
    await expect(startTestWeb({ colour: 'blue' } as never)).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_UNKNOWN' });
  });

  it('streams seed URLs over every host, unique', async () => {
    const web = await startTestWeb({ hosts: 7, pagesPerHost: 10, latency: { kind: 'none' } });
    try {
      const urls = web.seedUrls(70);
      expect(new Set(urls).size).toBe(70);
      expect(new Set(urls.slice(0, 7).map((u) => new URL(u).hostname)).size).toBe(7);
      expect(web.seedUrls(1000)).toHaveLength(70);
    } finally {
      await web.close();
    }
  });
});
