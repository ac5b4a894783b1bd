import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher, retryDecision } from '../../src/fetch/index.js';
import type { JarvixAgent } from '../../src/net/index.js';
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

describe('fetch: error statuses are answers to archive and failures to retry', () => {
  it('5xx is retryable, with the body kept for the archive', async () => {
    server = await httpServer((_req, res) => {
      res.writeHead(500, 'Internal Oops', { 'content-type': 'text/plain' });
      res.end('broken');
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://err.test/');
    expect(res.status).toBe(500);
    expect(res.error).toMatchObject({ code: 'JVX_ERR_HTTP_5XX', retryable: true });
    expect(res.error?.retryAfterMs).toBeUndefined();
    expect(res.exchanges).toHaveLength(1);
    expect((await res.exchanges[0]!.body.toBuffer()).toString()).toBe('broken');
  });

  it('429 with Retry-After in seconds, 503 with an HTTP date measured against the Date header', async () => {
    const serverNow = Date.UTC(2020, 0, 1, 12, 0, 0); // a server clock far off ours
    server = await httpServer((req, res) => {
      if (req.url === '/429') {
        res.writeHead(429, { 'retry-after': '7' });
        res.end();
      } else {
        res.sendDate = false;
        res.writeHead(503, { date: new Date(serverNow).toUTCString(), 'retry-after': new Date(serverNow + 30_000).toUTCString() });
        res.end('later');
      }
    });
    agent = testAgent(server.port);
    const fetcher = createFetcher(agent, baseFetchOptions);
    const r429 = await fetcher.fetch('http://busy.test/429');
    expect(r429.error).toMatchObject({ code: 'JVX_ERR_HTTP_429', retryable: true, retryAfterMs: 7_000 });
    const r503 = await fetcher.fetch('http://busy.test/503');
    expect(r503.error).toMatchObject({ code: 'JVX_ERR_HTTP_5XX', retryable: true, retryAfterMs: 30_000 });
    // and the retry policy obeys it, capped by maxDelayMs
    expect(retryDecision(r503, 1, { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 60_000 })).toEqual({ retry: true, delayMs: 30_000 });
    expect(retryDecision(r429, 1, { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000 })).toEqual({ retry: true, delayMs: 5_000 });
  });
});

describe('fetch: hostile and broken servers', () => {
  it('reset in the middle of the headers: no answer, JVX_ERR_FETCH_RESET', async () => {
    server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Ty');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://reset.test/');
    expect(res.error).toMatchObject({ code: 'JVX_ERR_FETCH_RESET', retryable: true });
    expect(res.status).toBeNull();
    expect(res.exchanges).toEqual([]);
  });

  it('reset in the middle of the body: what arrived is kept, truncated=disconnect', async () => {
    const part = Buffer.alloc(1000, 'p');
    server = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n`);
      socket.write(part);
      setTimeout(() => socket.resetAndDestroy(), 50);
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://reset.test/body');
    expect(res.status).toBe(200);
    expect(res.error?.code).toBe('JVX_ERR_FETCH_RESET');
    expect(res.truncated).toBe('disconnect');
    expect(res.exchanges[0]!.truncated).toBe('disconnect');
    expect(res.exchanges[0]!.body.length).toBe(1000);
    expect(res.exchanges[0]!.body.sha1.toString('hex')).toBe(sha1(part));
  });

  it('Content-Length larger than the body (server closes early): truncated=disconnect', async () => {
    server = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-twenty-bytes!!!');
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://short.test/');
    expect(res.status).toBe(200);
    expect(res.truncated).toBe('disconnect');
    expect(res.error?.code).toBe('JVX_ERR_FETCH_RESET');
    expect((await res.exchanges[0]!.body.toBuffer()).toString()).toBe('only-twenty-bytes!!!');
  });

  it('Content-Length smaller than the body: the declared length is the body', async () => {
    server = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and then garbage');
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://long.test/');
    expect(res.status).toBe(200);
    expect(res.error).toBeNull();
    expect(res.truncated).toBeNull();
    expect((await res.exchanges[0]!.body.toBuffer()).toString()).toBe('hello');
  });

  it('hangs before the headers: JVX_ERR_FETCH_TIMEOUT_HEADERS', async () => {
    server = await rawServer(() => {});
    agent = testAgent(server.port);
    const res = await createFetcher(agent, { ...baseFetchOptions, headersTimeoutMs: 200 }).fetch('http://hang.test/');
    expect(res.error).toMatchObject({ code: 'JVX_ERR_FETCH_TIMEOUT_HEADERS', retryable: true });
    expect(res.status).toBeNull();
  });

  it('stalls mid-body: JVX_ERR_FETCH_TIMEOUT_BODY, received bytes kept, truncated=time', async () => {
    server = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789'));
    agent = testAgent(server.port);
    const res = await createFetcher(agent, { ...baseFetchOptions, bodyTimeoutMs: 200 }).fetch('http://stall.test/');
    expect(res.status).toBe(200);
    expect(res.error?.code).toBe('JVX_ERR_FETCH_TIMEOUT_BODY');
    expect(res.truncated).toBe('time');
    expect((await res.exchanges[0]!.body.toBuffer()).toString()).toBe('0123456789');
  });

  it('a slow drip that never trips the body timeout is stopped by the total timeout', async () => {
    let timer: NodeJS.Timeout | undefined;
    server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n');
      timer = setInterval(() => socket.write('x'), 20);
      socket.on('close', () => clearInterval(timer));
    });
    agent = testAgent(server.port);
    const res = await createFetcher(agent, { ...baseFetchOptions, bodyTimeoutMs: 2_000, totalTimeoutMs: 400 }).fetch('http://drip.test/');
    clearInterval(timer);
    expect(res.status).toBe(200);
    expect(res.error).toMatchObject({ code: 'JVX_ERR_FETCH_TIMEOUT_TOTAL', retryable: true });
    expect(res.truncated).toBe('time');
    expect(res.exchanges[0]!.body.length).toBeGreaterThan(0);
    expect(res.exchanges[0]!.body.length).toBeLessThan(1_000_000);
  });

  it('the total timeout also covers a server that never answers', async () => {
    server = await rawServer(() => {});
    agent = testAgent(server.port);
    const res = await createFetcher(agent, { ...baseFetchOptions, headersTimeoutMs: 5_000, totalTimeoutMs: 200 }).fetch('http://mute.test/');
    expect(res.error?.code).toBe('JVX_ERR_FETCH_TIMEOUT_TOTAL');
    expect(res.status).toBeNull();
  });

  it('a body bigger than the cap: reading stops at maxBodyBytes, truncated=length, not an error', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'z');
    let written = 0;
    server = await rawServer((socket) => {
      // an endless chunked body: only the cap can stop it
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const pump = (): void => {
        while (!socket.destroyed && written < 1024 * 1024 * 1024) {
          written += chunk.length;
          if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    agent = testAgent(server.port);
    const maxBodyBytes = 100_000;
    const res = await createFetcher(agent, { ...baseFetchOptions, maxBodyBytes }).fetch('http://huge.test/');
    expect(res.status).toBe(200);
    expect(res.error).toBeNull();
    expect(res.truncated).toBe('length');
    const ex = res.exchanges[0]!;
    expect(ex.body.length).toBe(maxBodyBytes);
    expect(ex.body.sha1.toString('hex')).toBe(sha1(Buffer.alloc(maxBodyBytes, 'z')));
    // the connection was dropped, not drained: far less than the endless body went out
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a body exactly at the cap is whole', async () => {
    server = await httpServer((_req, res) => res.end(Buffer.alloc(1000, 'e')));
    agent = testAgent(server.port);
    const res = await createFetcher(agent, { ...baseFetchOptions, maxBodyBytes: 1000 }).fetch('http://exact.test/');
    expect(res.truncated).toBeNull();
    expect(res.exchanges[0]!.body.length).toBe(1000);
  });

  it('garbage instead of HTTP: JVX_ERR_FETCH_PROTOCOL, and the process carries on', async () => {
    server = await rawServer((socket) => socket.end('SMTP READY\r\n\r\n'));
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://garbage.test/');
    expect(res.error).toMatchObject({ code: 'JVX_ERR_FETCH_PROTOCOL', retryable: false });
    expect(res.status).toBeNull();
  });

  it('connection refused: JVX_ERR_FETCH_REFUSED', async () => {
    const closed = await httpServer(() => {});
    const port = closed.port;
    await closed.close();
    agent = testAgent(port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://gone.test/');
    expect(res.error).toMatchObject({ code: 'JVX_ERR_FETCH_REFUSED', retryable: true });
  });

  it('after a run of faults the same agent still fetches normally', async () => {
    let n = 0;
    server = await rawServer((socket) => {
      n++;
      if (n === 1) socket.resetAndDestroy();
      else if (n === 2) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    agent = testAgent(server.port);
    const fetcher = createFetcher(agent, baseFetchOptions);
    expect((await fetcher.fetch('http://f.test/1')).error?.code).toBe('JVX_ERR_FETCH_RESET');
    expect((await fetcher.fetch('http://f.test/2')).truncated).toBe('disconnect');
    const ok = await fetcher.fetch('http://f.test/3');
    expect(ok.error).toBeNull();
    expect((await ok.exchanges[0]!.body.toBuffer()).toString()).toBe('ok');
  });
});
