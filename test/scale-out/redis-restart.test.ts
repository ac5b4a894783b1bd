import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/tmp.js';
import { collectArgs, pagesPerUrl, startWorker, until, writeSeeds } from './workers.js';

/**
 * A Redis outage mid-run (kill -9 of redis-server, AOF with fsync always, restart 1.5 s later):
 * the workers say they pause, wait, resume, and the run ends with every URL exactly once.
 */
describeWithRedis('Redis restarted under running workers', () => {
  let web: TestWeb;
  let redis: RedisServer;
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    tmp = await tempDir('jarvix-scale-out-restart-');
    web = await startTestWeb({ seed: 9, hosts: 16, pagesPerHost: 200, latency: { kind: 'fixed', medianMs: 10 }, faults: 0, robots: { crawlDelay: 0, timeout: 0 } });
    redis = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', tmp.dir] });
  });
  afterAll(async () => {
    await web?.close();
    await redis?.stop();
    await tmp?.cleanup();
  });

  it('pauses with a message, resumes, loses nothing and doubles nothing', async () => {
    const run = `rr-${randomUUID().slice(0, 8)}`;
    const urls = [...new Set(web.seedUrls(400))];
    const input = await writeSeeds(tmp.dir, urls);
    const args = collectArgs({ run, data: tmp.dir, input, web, redis: redis.url(), extra: ['--lease-ms', '3000', '--redis-wait-ms', '300'] });
    const workers = ['a', 'b'].map((id) => startWorker(id, args));
    await until(() => web.record.totalRequests > 120, 60_000, 'the crawl to get going');
    await redis.kill();
    const during = web.record.totalRequests;
    await new Promise((r) => setTimeout(r, 1_500));
    await redis.restart();

    const results = await Promise.all(workers.map((w) => w.exited));
    for (const r of results) expect([0, 3], r.stderr).toContain(r.code);
    const stderr = results.map((r) => r.stderr).join('\n');
    expect(stderr).toMatch(/Redis unavailable at redis:\/\/127\.0\.0\.1:\d+\/0, pausing; will resume/);
    expect(stderr).toContain('Redis is back, resuming');
    expect(web.record.totalRequests).toBeGreaterThan(during);

    const counts = await pagesPerUrl(join(tmp.dir, 'runs', run));
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(new Set(urls));
  });
});
