import { createHash } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import type { JarvixAgent } from '../../src/net/index.js';
import { baseFetchOptions, httpServer, testAgent, type TestServer } from './servers.js';

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

let server: TestServer | undefined;
let agent: JarvixAgent | undefined;
afterEach(async () => {
  await agent?.close();
  await server?.close();
  agent = undefined;
  server = undefined;
});

/** Serves `body` with the given Content-Encoding on every path. */
async function encodedServer(body: Buffer, encoding: string): Promise<TestServer> {
  return httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding, 'content-length': String(body.length) });
    res.end(body);
  });
}

describe('fetch: decodeBody', () => {
  const html = Buffer.from(`<html><body>${'<p>some words here</p>'.repeat(2000)}</body></html>`);

  for (const [encoding, encode] of [
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const) {
    it(`undoes ${encoding}, while the exchange keeps the bytes as received`, async () => {
      const wire = encode(html);
      server = await encodedServer(wire, encoding);
      agent = testAgent(server.port);
      const res = await createFetcher(agent, baseFetchOptions).fetch('http://enc.test/');
      expect(res.exchanges[0]!.body.sha1.toString('hex')).toBe(sha1(wire));
      const decoded = await res.decodeBody();
      expect(decoded?.truncated).toBe(false);
      expect(sha1(decoded!.bytes)).toBe(sha1(html));
    });
  }

  it('a gzip bomb (1 GiB of zeros in ~1 MB) stops at maxDecodedBytes with truncated=true', async () => {
    // 64 gzip members of 16 MiB of zeros each: a valid multi-member gzip stream that decodes to 1 GiB.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    server = await encodedServer(bomb, 'gzip');
    agent = testAgent(server.port);
    const maxDecodedBytes = 8 * 1024 * 1024;
    const res = await createFetcher(agent, { ...baseFetchOptions, maxBodyBytes: 4 * 1024 * 1024, maxDecodedBytes }).fetch('http://bomb.test/');
    expect(res.truncated).toBeNull();
    expect(res.exchanges[0]!.body.length).toBe(bomb.length);
    const rssBefore = process.memoryUsage().rss;
    const decoded = await res.decodeBody();
    expect(decoded!.truncated).toBe(true);
    expect(decoded!.bytes.length).toBe(maxDecodedBytes);
    // a decoder that did not stop would hold a gibibyte here
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('maxDecodedBytes defaults to 4 x maxBodyBytes', async () => {
    server = await encodedServer(gzipSync(Buffer.alloc(100_000, 'a')), 'gzip');
    agent = testAgent(server.port);
    const res = await createFetcher(agent, { ...baseFetchOptions, maxBodyBytes: 10_000 }).fetch('http://default.test/');
    const decoded = await res.decodeBody();
    expect(decoded).toMatchObject({ truncated: true });
    expect(decoded!.bytes.length).toBe(40_000);
  });

  it('invalid gzip: the fetch succeeds (archive as received), decodeBody rejects with a code', async () => {
    server = await encodedServer(Buffer.from('this is not gzip at all'), 'gzip');
    agent = testAgent(server.port);
    const res = await createFetcher(agent, baseFetchOptions).fetch('http://bad.test/');
    expect(res.status).toBe(200);
    expect(res.error).toBeNull();
    await expect(res.decodeBody()).rejects.toMatchObject({ code: 'JVX_ERR_HTTP_CONTENT_DECODING' });
  });

  it('a gzip body cut by the byte cap still decodes what arrived', async () => {
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${i} ${(i * 7919) % 10007}\n`).join(''));
    const wire = gzipSync(text);
    server = await encodedServer(wire, 'gzip');
    agent = testAgent(server.port);
    const cap = Math.floor(wire.length / 2);
    const res = await createFetcher(agent, { ...baseFetchOptions, maxBodyBytes: cap }).fetch('http://cut.test/');
    expect(res.truncated).toBe('length');
    expect(res.exchanges[0]!.body.length).toBe(cap);
    const decoded = await res.decodeBody();
    expect(decoded!.bytes.length).toBeGreaterThan(0);
    expect(text.subarray(0, decoded!.bytes.length).equals(decoded!.bytes)).toBe(true);
  });
});
