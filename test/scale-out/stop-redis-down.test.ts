import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/tmp.js';
import { collectArgs, pagesPerUrl, startWorker, until, writeSeeds } from './workers.js';

/**
 * One SIGTERM while Redis is unreachable: the worker cannot commit its last checkpoint and must not
 * wait for Redis for ever. It ends by itself (no second signal, no kill), says what was not
 * committed and what resume does; resumed once Redis is back, the run holds every URL once.
 */
describeWithRedis('one SIGTERM while Redis is down', () => {
  let web: TestWeb;
  let redis: RedisServer;
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    tmp = await tempDir('jarvix-scale-out-stop-');
    web = await startTestWeb({ seed: 19, hosts: 8, pagesPerHost: 200, latency: { kind: 'fixed', medianMs: 20 }, faults: 0, robots: { crawlDelay: 0, timeout: 0 } });
    redis = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', tmp.dir] });
  });
  afterAll(async () => {
    await web?.close();
    await redis?.stop();
    await tmp?.cleanup();
  });

  it('ends the process on its own with a coded message, and the resume completes every URL once', { timeout: 180_000 }, async () => {
    const run = `sd-${randomUUID().slice(0, 8)}`;
    const urls = [...new Set(web.seedUrls(300))];
    const input = await writeSeeds(tmp.dir, urls);
    const args = collectArgs({ run, data: tmp.dir, input, web, redis: redis.url(), extra: ['--redis-wait-ms', '300', '--lease-ms', '5000'] });
    const worker = startWorker('a', args);
    await until(() => web.record.totalRequests > 60, 60_000, 'the crawl to get going');
    await redis.kill();
    worker.child.kill('SIGTERM');
    // The test's own timeout is the only clock here: the worker must exit without any further help.
    const { code, stderr } = await worker.exited;
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('SIGTERM: finishing in-flight pages');
    expect(stderr).toContain('JVX_ERR_COLLECT_CHECKPOINT_UNCOMMITTED');
    expect(stderr).toMatch(/fetched again on resume/);

    await redis.restart();
    const resumed = await startWorker('a', args).exited;
    expect([0, 3], resumed.stderr).toContain(resumed.code);
    const counts = await pagesPerUrl(join(tmp.dir, 'runs', run));
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(new Set(urls));
  });
});
