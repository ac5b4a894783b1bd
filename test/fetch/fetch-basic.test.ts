import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import { createAgent, parseResolveRule, type JarvixAgent } from '../../src/net/index.js';
import { tempDir } from '../helpers/tmp.js';
import { baseFetchOptions, httpServer, rawServer, testAgent, type TestServer } from './servers.js';

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

let server: TestServer | undefined;
let agent: JarvixAgent | undefined;
afterEach(async () => {
  await agent?.close();
  await server?.close();
  agent = undefined;
  server = undefined;
});

describe('fetch: what the archive needs', () => {
  it('keeps the response head as received: case, order, duplicates, status text', async () => {
    const body = Buffer.from('<html><body>hello</body></html>');
    const head =
      'HTTP/1.1 200 Fine Thanks\r\n' +
      'X-Zeta: last-alphabet-first\r\n' +
      'content-TYPE: text/html; charset=utf-8\r\n' +
      'Set-Cookie: a=1\r\n' +
      'set-cookie: b=2\r\n' +
      `Content-Length: ${body.length}\r\n\r\n`;
    server = await rawServer((socket) => socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body])));
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://site.test/page');
    expect(res.error).toBeNull();
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/html; charset=utf-8');
    const ex = res.exchanges[0]!;
    expect(ex.responseHead.toString('latin1')).toBe(head);
    expect(ex.statusText).toBe('Fine Thanks');
    expect(ex.rawHeaders).toEqual([
      ['X-Zeta', 'last-alphabet-first'],
      ['content-TYPE', 'text/html; charset=utf-8'],
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['Content-Length', String(body.length)],
    ]);
    expect(ex.body.length).toBe(body.length);
    expect(ex.body.sha1.toString('hex')).toBe(sha1(body));
    expect(ex.remoteAddress).toBe('127.0.0.1');
    expect(res.truncated).toBeNull();
    await ex.body.dispose();
  });

  it('records the request head exactly as the server received it, with our UA and encodings', async () => {
    server = await rawServer((socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n'));
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://www.site.test/a/b?q=1#frag');
    const sent = res.exchanges[0]!.requestHead.toString('latin1');
    expect(sent).toBe(server.seen[0]);
    expect(sent.startsWith('GET /a/b?q=1 HTTP/1.1\r\nhost: www.site.test\r\n')).toBe(true);
    expect(sent).toContain(`user-agent: ${baseFetchOptions.userAgent}\r\n`);
    expect(sent).toContain('accept-encoding: gzip, deflate, br\r\n');
    expect(sent.endsWith('\r\n\r\n')).toBe(true);
    expect(res.status).toBe(204);
    expect(await res.decodeBody()).toBeNull();
  });

  it('reads a chunked body whole, transfer-encoding removed', async () => {
    const parts = ['first part,', 'second part,', 'x'.repeat(70_000)];
    server = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let i = 0;
      const next = (): void => {
        if (i < parts.length) {
          res.write(parts[i++]);
          setImmediate(next);
        } else res.end();
      };
      next();
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://chunky.test/');
    const ex = res.exchanges[0]!;
    expect(ex.rawHeaders.find(([k]) => k.toLowerCase() === 'transfer-encoding')?.[1]).toBe('chunked');
    const whole = Buffer.from(parts.join(''));
    expect(ex.body.length).toBe(whole.length);
    expect(ex.body.sha1.toString('hex')).toBe(sha1(whole));
    expect((await res.decodeBody())!.bytes.equals(whole)).toBe(true);
  });

  it('under concurrency every exchange gets its own request head and body', async () => {
    server = await rawServer((socket, _head, path) => {
      const body = `body of ${path}`;
      setTimeout(() => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`), Math.random() * 20);
    });
    agent = testAgent(server.port);
    const fetcher = createFetcher(agent, baseFetchOptions);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => fetcher.fetch(`http://h${i % 4}.test/p/${i}`)));
    for (const [i, res] of results.entries()) {
      const ex = res.exchanges[0]!;
      const sent = ex.requestHead.toString('latin1');
      expect(sent.startsWith(`GET /p/${i} HTTP/1.1\r\nhost: h${i % 4}.test\r\n`)).toBe(true);
      expect(server.seen).toContain(sent);
      expect((await ex.body.toBuffer()).toString()).toBe(`body of /p/${i}`);
    }
  });

  it('treats a 404 as an answer, not an error, and HEAD as body-less', async () => {
    server = await httpServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/html', 'content-length': '5' });
      res.end(req.method === 'HEAD' ? undefined : 'hello');
    });
    agent = testAgent(server.port);
    const fetcher = createFetcher(agent, baseFetchOptions);
    const missing = await fetcher.fetch('http://h.test/missing');
    expect(missing.status).toBe(404);
    expect(missing.error).toBeNull();
    expect(missing.exchanges).toHaveLength(1);
    const head = await fetcher.fetch('http://h.test/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.exchanges[0]!.method).toBe('HEAD');
    expect(head.exchanges[0]!.requestHead.toString('latin1').startsWith('HEAD / HTTP/1.1\r\n')).toBe(true);
    expect(head.exchanges[0]!.body.length).toBe(0);
    expect(await head.decodeBody()).toBeNull();
  });

  it('reuses keep-alive connections across fetches to one origin', async () => {
    server = await httpServer((_req, res) => res.end('ok'));
    agent = testAgent(server.port);
    const fetcher = createFetcher(agent, baseFetchOptions);
    for (let i = 0; i < 5; i++) expect((await fetcher.fetch(`http://same.test/${i}`)).status).toBe(200);
    expect(server.seen).toHaveLength(5);
    expect(server.connections()).toBe(1);
  });

  it('spills large bodies to disk (pausing the socket while writing) and removes them on dispose', async () => {
    // regression: undici hands an empty chunk on resume; pausing again for it spun the microtask queue forever
    const tmp = await tempDir();
    try {
      const big = Buffer.alloc(600_000, 'abcdefghij');
      server = await httpServer((_req, res) => res.end(big));
      agent = testAgent(server.port);
      const fetcher = createFetcher(agent, { ...baseFetchOptions, spillBytes: 64 * 1024, tmpDir: tmp.dir });
      for (let i = 0; i < 3; i++) {
        const res = await fetcher.fetch(`http://big.test/${i}`);
        const ex = res.exchanges[0]!;
        expect((await readdir(tmp.dir)).length).toBe(1);
        expect(ex.body.length).toBe(big.length);
        expect(ex.body.sha1.toString('hex')).toBe(sha1(big));
        expect((await ex.body.toBuffer()).equals(big)).toBe(true);
        await ex.body.dispose();
        expect(await readdir(tmp.dir)).toEqual([]);
      }
    } finally {
      await tmp.cleanup();
    }
  });

  it('publishes start and end on diagnostics channels', async () => {
    server = await httpServer((_req, res) => res.end('ok'));
    agent = testAgent(server.port);
    const events: [string, unknown][] = [];
    const onStart = (m: unknown): void => void events.push(['start', m]);
    const onEnd = (m: unknown): void => void events.push(['end', m]);
    subscribe('jarvix:fetch:start', onStart);
    subscribe('jarvix:fetch:end', onEnd);
    try {
      await createFetcher(agent, baseFetchOptions).fetch('http://obs.test/');
    } finally {
      unsubscribe('jarvix:fetch:start', onStart);
      unsubscribe('jarvix:fetch:end', onEnd);
    }
    expect(events.map(([k]) => k)).toEqual(['start', 'end']);
    expect(events[1]![1]).toMatchObject({ url: 'http://obs.test/', status: 200, errorCode: null, hops: 1 });
  });

  it('rejects unknown or invalid options naming the option', async () => {
    agent = createAgent();
    expect(() => createFetcher(agent!, { ...baseFetchOptions, maxBodyBytes: -1 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => createFetcher(agent!, { ...baseFetchOptions, bogus: 1 } as never)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_UNKNOWN' }));
  });
});

describe('fetch: SSRF guard', () => {
  it('refuses loopback without allowPrivate, by IP and by a name resolved to it', async () => {
    server = await httpServer((_req, res) => res.end('secret'));
    agent = createAgent({ allowPrivate: false, resolve: [parseResolveRule(`*.test:127.0.0.1:${server.port}`)] });
    const fetcher = createFetcher(agent, baseFetchOptions);
    for (const url of [`http://127.0.0.1:${server.port}/`, 'http://inner.test/']) {
      const res = await fetcher.fetch(url);
      expect(res.error?.code).toBe('JVX_ERR_POLICY_PRIVATE_ADDRESS');
      expect(res.error?.retryable).toBe(false);
      expect(res.status).toBeNull();
      expect(res.exchanges).toEqual([]);
    }
    expect(server.seen).toEqual([]);
  });

  it('refuses schemes other than http and https and bad URLs', async () => {
    agent = createAgent();
    const fetcher = createFetcher(agent, baseFetchOptions);
    expect((await fetcher.fetch('ftp://example.test/x')).error?.code).toBe('JVX_ERR_FETCH_UNSUPPORTED_SCHEME');
    expect((await fetcher.fetch('not a url')).error?.code).toBe('JVX_ERR_FETCH_INVALID_URL');
  });
});
