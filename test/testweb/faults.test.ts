import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGunzip } from 'node:zlib';
import { request } from 'node:http';
import { FAULT_KINDS, startTestWeb, type FaultKind, type TestWeb } from '../../src/testweb/index.js';
import { rawGet } from '../helpers/raw-http.js';

/** Every fault kind, served for real, and planned at about its configured rate. */
describe('synthetic web faults', () => {
  let web: TestWeb;
  const perKind = 0.04;

  beforeAll(async () => {
    web = await startTestWeb({
      seed: 11,
      hosts: 50,
      pagesPerHost: 2000,
      latency: { kind: 'none' },
      faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, perKind])),
      hugeBodyBytes: 8 * 1024 * 1024,
      gzipBombBytes: 32 * 1024 * 1024,
      slowDripChunkDelayMs: 5,
      retryAfterSeconds: 7,
    });
  });
  afterAll(() => web?.close());

  /** The first page (host, index) whose planned fault is `kind`. */
  function pageWith(kind: FaultKind | null): { host: string; path: string; hostIndex: number; pageIndex: number } {
    for (let h = 0; h < web.options.hosts; h++) {
      for (let p = 1; p < web.options.pagesPerHost; p++) {
        if (web.model.fault(h, p) !== kind) continue;
        const kindOfPage = web.model.page(h, p).kind;
        if (kindOfPage === 'pdf' || kindOfPage === 'json') continue;
        return { host: web.model.hostName(h), path: `/p/${p}`, hostIndex: h, pageIndex: p };
      }
    }
    throw new Error(`no page with fault ${kind}`);
  }

  it('plans each fault kind at about its configured rate', () => {
    const counts = new Map<string, number>();
    let pages = 0;
    for (let h = 0; h < web.options.hosts; h++) {
      for (let p = 1; p < web.options.pagesPerHost; p++) {
        pages++;
        const f = web.model.fault(h, p) ?? 'none';
        counts.set(f, (counts.get(f) ?? 0) + 1);
      }
    }
    for (const kind of FAULT_KINDS) {
      const rate = (counts.get(kind) ?? 0) / pages;
      // ~100k pages: the binomial standard deviation of a 4% rate is 0.06 points.
      expect(rate, kind).toBeGreaterThan(perKind * 0.9);
      expect(rate, kind).toBeLessThan(perKind * 1.1);
    }
    expect((counts.get('none') ?? 0) / pages).toBeCloseTo(1 - perKind * FAULT_KINDS.length, 1);
  });

  it('serves 500 once, then the page (transient)', async () => {
    const { host, path } = pageWith('http500');
    expect((await rawGet(web.port, host, path)).status).toBe(500);
    expect((await rawGet(web.port, host, path)).status).toBe(200);
  });

  it.each([
    ['http429', 429],
    ['http503', 503],
  ] as const)('serves %s with Retry-After', async (kind, status) => {
    const { host, path } = pageWith(kind);
    const res = await rawGet(web.port, host, path);
    expect(res.status).toBe(status);
    expect(res.headers['retry-after']).toBe('7');
    expect((await rawGet(web.port, host, path)).status).toBe(200);
  });

  it('resets the connection', async () => {
    const { host, path } = pageWith('reset');
    const res = await rawGet(web.port, host, path);
    expect(res.outcome).toBe('error');
    expect(res.errorCode).toMatch(/ECONNRESET|EPIPE|ERR_STREAM_PREMATURE_CLOSE/);
  });

  it('hangs without answering until the client gives up', async () => {
    const { host, path } = pageWith('hang');
    const res = await rawGet(web.port, host, path, { timeoutMs: 300 });
    expect(res.outcome).toBe('timeout');
    expect(res.status).toBeNull();
    const served = web.record.hosts.get(host)!.requests.filter((r) => r.path === path);
    expect(served.at(-1)!.status).toBe(0);
  });

  it('drips the body slowly, in many small chunks', async () => {
    const { host, path } = pageWith('slowDrip');
    const res = await rawGet(web.port, host, path);
    expect(res.status).toBe(200);
    expect(res.outcome).toBe('complete');
    const chunks = Math.ceil(res.bodyBytes / 1024);
    expect(res.chunks).toBeGreaterThanOrEqual(chunks - 1);
    // Lower bound only: the server slept between chunks, so the request cannot have been quicker.
    const served = web.record.hosts.get(host)!.requests.filter((r) => r.path === path).at(-1)!;
    expect(served.end - served.start).toBeGreaterThanOrEqual((chunks - 1) * 5 * 0.9);
    expect(res.body.toString('utf8')).toContain('</html>');
  });

  it('sends a body larger than any sane cap, as declared', async () => {
    const { host, path } = pageWith('hugeBody');
    const res = await rawGet(web.port, host, path, { maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(8 * 1024 * 1024);
    expect(res.bodyBytes).toBe(8 * 1024 * 1024);
  });

  it('sends a gzip bomb: tiny on the wire, huge decoded', async () => {
    const { host, path } = pageWith('gzipBomb');
    const res = await rawGet(web.port, host, path);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.bodyBytes).toBeLessThan(1024 * 1024);
    let decoded = 0;
    await new Promise<void>((resolve, reject) => {
      const gunzip = createGunzip();
      gunzip.on('data', (c: Buffer) => (decoded += c.length));
      gunzip.on('end', resolve);
      gunzip.on('error', reject);
      gunzip.end(res.body);
    });
    expect(decoded).toBe(32 * 1024 * 1024);
  });

  it('redirects through a chain of 2 to 5 hops to a page that exists', async () => {
    const { host, path, pageIndex } = pageWith('redirectChain');
    let at = path;
    const hops: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await rawGet(web.port, host, at);
      if (res.status === 200) break;
      hops.push(res.status!);
      at = String(res.headers.location);
    }
    expect(at).toBe(`/p/${pageIndex}/moved`);
    expect(hops.length).toBeGreaterThanOrEqual(2);
    expect(hops.length).toBeLessThanOrEqual(5);
    expect(web.describe(`http://${host}${path}`).finalUrl).toBe(`http://${host}/p/${pageIndex}/moved`);
  });

  it('redirects in a loop', async () => {
    const { host, path } = pageWith('redirectLoop');
    const seen: string[] = [];
    let at = path;
    for (let i = 0; i < 6; i++) {
      const res = await rawGet(web.port, host, at);
      expect(res.status).toBe(302);
      seen.push(at);
      at = String(res.headers.location);
    }
    expect(new Set(seen).size).toBe(3);
    expect(seen[3]).toBe(seen[0]);
  });

  it('declares UTF-8 but sends Latin-1', async () => {
    const { host, path } = pageWith('badCharset');
    const res = await rawGet(web.port, host, path, { headers: { 'accept-encoding': 'identity' } });
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(res.body)).toThrow();
    expect(new TextDecoder('latin1').decode(res.body)).toContain('Crème brûlée');
  });

  it('sends invalid UTF-8 bytes', async () => {
    const { host, path } = pageWith('invalidUtf8');
    const res = await rawGet(web.port, host, path);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(res.body)).toThrow();
  });

  it('sends malformed HTML', async () => {
    const { host, path } = pageWith('malformedHtml');
    const html = (await rawGet(web.port, host, path)).body.toString('utf8');
    expect(html).toContain('<div class=broken>');
    expect(html).not.toContain('</html>');
  });

  it('declares a Content-Length it never sends, then closes', async () => {
    const { host, path } = pageWith('wrongContentLength');
    const res = await rawGet(web.port, host, path);
    expect(res.outcome).toBe('error');
    expect(res.bodyBytes).toBeLessThan(Number(res.headers['content-length']));
    expect(res.bodyBytes).toBeGreaterThan(0);
  });

  it('survives a client that disconnects mid-response', async () => {
    const { host, path } = pageWith('hugeBody');
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: web.port, path, headers: { host } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => resolve());
      req.end();
    });
    const ok = pageWith(null);
    expect((await rawGet(web.port, ok.host, ok.path)).status).toBe(200);
  });
});
