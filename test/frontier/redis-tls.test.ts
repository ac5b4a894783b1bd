import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisFrontier } from '../../src/frontier/redis-frontier.js';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A self-signed certificate for 127.0.0.1 with the openssl CLI. Returns why it could not be made,
 * or null: without openssl the test is skipped locally with that reason and FAILS under CI=true
 * (CI installs openssl, as test/helpers/redis-server.ts does for redis-server).
 */
function makeCert(dir: string): string | null {
  const res = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (res.error) return `openssl not available (${res.error.message})`;
  if (res.status !== 0) return `openssl failed with status ${res.status}: ${res.stderr.trim().split('\n').slice(-2).join(' ')}`;
  return null;
}

describeWithRedis('RedisFrontier over TLS (rediss://)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let server: RedisServer | undefined;
  let ca = '';
  let certProblem: string | null = null;
  beforeAll(async () => {
    tmp = await tempDir('jarvix-redis-tls-');
    certProblem = makeCert(tmp.dir);
    if (certProblem !== null) return;
    ca = await readFile(join(tmp.dir, 'cert.pem'), 'utf8');
    server = await startRedisServer({ tls: { certFile: join(tmp.dir, 'cert.pem'), keyFile: join(tmp.dir, 'key.pem') } });
  });
  afterAll(async () => {
    await server?.stop();
    await tmp.cleanup();
  });

  it('works with rediss:// and the server’s CA, and fails fast with JVX_ERR_FRONTIER_REDIS_TLS without it', async (ctx) => {
    if (certProblem !== null) {
      if (process.env.CI) throw new Error(`${certProblem}: CI must install openssl (see .ci/run)`);
      return ctx.skip(`${certProblem}: cannot make a test certificate`);
    }
    if (server === undefined) throw new Error('redis-server with TLS did not start');
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
