import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import type { JarvixAgent } from '../../src/net/index.js';
import { baseFetchOptions, httpServer, testAgent, type TestServer } from './servers.js';

let server: TestServer | undefined;
let agent: JarvixAgent | undefined;
afterEach(async () => {
  await agent?.close();
  await server?.close();
  agent = undefined;
  server = undefined;
});

/** A server whose redirect map is path → [status, Location]; anything else answers 200 with the Host it saw. */
async function redirector(map: Record<string, [number, string | null]>): Promise<TestServer> {
  return httpServer((req, res) => {
    const hit = map[req.url ?? ''];
    if (hit) {
      const [status, location] = hit;
      res.writeHead(status, location === null ? {} : { location });
      res.end(`redirect ${status}`);
      return;
    }
    if (req.url?.startsWith('/endless/')) {
      res.writeHead(302, { location: `/endless/${Number(req.url.slice(9)) + 1}` });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`final ${req.headers.host}${req.url}`);
  });
}

describe('fetch: redirects', () => {
  it('follows a chain with absolute, root-relative and relative Locations, one exchange per hop', async () => {
    server = await redirector({
      '/a': [301, 'http://red.test/b/x'],
      '/b/x': [302, 'y?z=1#frag'],
      '/b/y?z=1': [307, '/c'],
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://red.test/a');
    expect(res.redirectChain).toEqual(['http://red.test/a', 'http://red.test/b/x', 'http://red.test/b/y?z=1', 'http://red.test/c']);
    expect(res.exchanges.map((e) => e.statusCode)).toEqual([301, 302, 307, 200]);
    expect(res.exchanges.map((e) => e.url)).toEqual(res.redirectChain);
    expect(res.finalUrl).toBe('http://red.test/c');
    expect(res.status).toBe(200);
    expect(res.error).toBeNull();
    expect((await res.decodeBody())!.bytes.toString()).toBe('final red.test/c');
    expect(server.seen).toEqual(['GET /a', 'GET /b/x', 'GET /b/y?z=1', 'GET /c']);
  });

  it('crosses hosts with the right Host header and asks beforeHop for each new URL only', async () => {
    server = await redirector({ '/go': [308, 'http://other.test/landing'] });
    agent = testAgent(server.port);
    const asked: string[] = [];
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://first.test/go', {
      beforeHop: async (url) => {
        asked.push(url);
        return { allowed: true };
      },
    });
    expect(asked).toEqual(['http://other.test/landing']);
    expect((await res.decodeBody())!.bytes.toString()).toBe('final other.test/landing');
  });

  it('beforeHop refusal stops before the request and carries its code', async () => {
    server = await redirector({ '/go': [302, '/private/area'] });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://r.test/go', {
      beforeHop: async () => ({ allowed: false, code: 'JVX_ERR_ROBOTS_DISALLOWED', reason: 'robots says no' }),
    });
    expect(res.error).toMatchObject({ code: 'JVX_ERR_FETCH_REDIRECT_REFUSED', refusedCode: 'JVX_ERR_ROBOTS_DISALLOWED', retryable: false });
    expect(res.status).toBe(302);
    expect(res.exchanges).toHaveLength(1);
    expect(res.redirectChain).toEqual(['http://r.test/go']);
    expect(server.seen).toEqual(['GET /go']);
  });

  it('detects a loop by URL, however long the cycle', async () => {
    server = await redirector({ '/l1': [301, '/l2'], '/l2': [302, '/l3'], '/l3': [303, 'http://loop.test/l1'] });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://loop.test/l1');
    expect(res.error).toMatchObject({ code: 'JVX_ERR_FETCH_REDIRECT_LOOP', retryable: false });
    expect(res.redirectChain).toEqual(['http://loop.test/l1', 'http://loop.test/l2', 'http://loop.test/l3']);
    expect(res.exchanges).toHaveLength(3);
    expect(res.status).toBe(303);
  });

  it('stops after maxRedirects', async () => {
    server = await redirector({});
    agent = testAgent(server.port);
    const res = await createFetcher(agent, { ...baseFetchOptions, maxRedirects: 3 }).fetch('http://e.test/endless/0');
    expect(res.error?.code).toBe('JVX_ERR_FETCH_TOO_MANY_REDIRECTS');
    expect(res.exchanges).toHaveLength(4);
    expect(res.redirectChain).toEqual(['/endless/0', '/endless/1', '/endless/2', '/endless/3'].map((p) => `http://e.test${p}`));
    expect(server.seen).toHaveLength(4);
  });

  it('maxRedirects 0 answers the first redirect as an error; a 3xx without Location is just an answer', async () => {
    server = await redirector({ '/r': [301, '/x'], '/bare': [302, null], '/ftp': [301, 'ftp://files.test/x'] });
    agent = testAgent(server.port);
    const none = await createFetcher(agent, { ...baseFetchOptions, maxRedirects: 0 }).fetch('http://z.test/r');
    expect(none.error?.code).toBe('JVX_ERR_FETCH_TOO_MANY_REDIRECTS');
    const fetcher = createFetcher(agent, baseFetchOptions);
    const bare = await fetcher.fetch('http://z.test/bare');
    expect(bare.status).toBe(302);
    expect(bare.error).toBeNull();
    expect((await fetcher.fetch('http://z.test/ftp')).error?.code).toBe('JVX_ERR_FETCH_UNSUPPORTED_SCHEME');
  });
});
