import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisFrontier } from '../../src/frontier/redis-frontier.js';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/tmp.js';

/** A self-signed certificate for 127.0.0.1 (the openssl CLI; the test is skipped without it). */
function makeCert(dir: string): boolean {
  const res = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  return res.status === 0;
}

describeWithRedis('RedisFrontier over TLS (rediss://)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let server: RedisServer | undefined;
  let ca = '';
  beforeAll(async () => {
    tmp = await tempDir('jarvix-redis-tls-');
    if (!makeCert(tmp.dir)) return;
    ca = await readFile(join(tmp.dir, 'cert.pem'), 'utf8');
    server = await startRedisServer({ tls: { certFile: join(tmp.dir, 'cert.pem'), keyFile: join(tmp.dir, 'key.pem') } });
  });
  afterAll(async () => {
    await server?.stop();
    await tmp.cleanup();
  });

  it('works with rediss:// and the server’s CA, and fails fast with JVX_ERR_FRONTIER_REDIS_TLS without it', async (ctx) => {
    if (server === undefined) return ctx.skip('openssl not available to make a test certificate');
    const url = server.url({ tls: true });
    expect(url.startsWith('rediss://')).toBe(true);
    const f = await RedisFrontier.open({ url, run: 'tls', defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 }, expectedUrls: 100, tls: { ca } });
    try {
      expect(await f.add([{ url: 'https://a.test/', depth: 0 }])).toBe(1);
      expect(await f.lease(1, { now: 1, leaseMs: 1_000, worker: 'w' })).toHaveLength(1);
    } finally {
      await f.dropRun();
    }
    await expect(RedisFrontier.open({ url, run: 'tls', defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 }, unavailableTimeoutMs: 20_000 }))
      .rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_REDIS_TLS', retryable: false });
  });
});
