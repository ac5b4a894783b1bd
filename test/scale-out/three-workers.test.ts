import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { robotsAllowsUrl, startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { runCli } from '../helpers/cli.js';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/tmp.js';
import { collectArgs, pagesPerUrl, startWorker, until, writeSeeds } from './workers.js';

/**
 * Issue 8, "Done means": three worker processes share one crawl through Redis; one is killed with
 * SIGKILL mid-run and the others finish its work (its leases expire and come back). The union of
 * every worker's shards holds each input URL exactly once, the server saw no host asked twice at a
 * time across workers, and each host's robots.txt was fetched once for all of them.
 */
describeWithRedis('three workers on one crawl, one killed', () => {
  let web: TestWeb;
  let redis: RedisServer;
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    web = await startTestWeb({
      seed: 8, hosts: 24, pagesPerHost: 200, latency: { kind: 'fixed', medianMs: 15 }, faults: 0,
      robots: { crawlDelay: 0, timeout: 0, disallow: 0.15, notFound: 0.1, serverError: 0.05, malformed: 0.05 },
    });
    redis = await startRedisServer();
    tmp = await tempDir('jarvix-scale-out-');
  });
  afterAll(async () => {
    await web?.close();
    await redis?.stop();
    await tmp?.cleanup();
  });

  it('the union holds every URL once, no host exceeded its limit, robots.txt fetched once per host; status and query see the union', async () => {
    const run = `so-${randomUUID().slice(0, 8)}`;
    // URLs robots.txt disallows go first, so a host's first lease is often refused right after its
    // robots.txt request: the next request to that host (likely another worker's) must still wait
    // the delay from the end of that robots.txt request.
    const allowed = (u: string): number => (robotsAllowsUrl(web.model, u, 'jarvix') ? 1 : 0);
    const urls = [...new Set(web.seedUrls(600))].sort((a, b) => allowed(a) - allowed(b));
    const input = await writeSeeds(tmp.dir, urls);
    // Small checkpoints: the victim has committed work before it dies (checked below), so the test
    // covers committed work surviving the kill as well as in-flight work being redone by the others.
    const args = collectArgs({ run, data: tmp.dir, input, web, redis: redis.url(), extra: ['--lease-ms', '2000', '--checkpoint-every', '20'] });
    const workers = ['w1', 'w2', 'w3'].map((id) => startWorker(id, args));
    const victim = workers[2]!;

    // Kill once every robots.txt has been answered (so none is lost mid-fetch) and work is under way.
    const robotsEnded = (): boolean => {
      let hosts = 0;
      for (const h of web.record.hosts.values()) if (h.requests.some((r) => r.path === '/robots.txt' && r.end > 0)) hosts++;
      return hosts >= 24;
    };
    const victimCommitted = (): boolean => {
      try {
        return readdirSync(join(tmp.dir, 'runs', run, 'pages')).some((f) => f.startsWith('pages-w3-') && f.endsWith('.parquet'));
      } catch {
        return false;
      }
    };
    await until(() => robotsEnded() && web.record.totalRequests > 150 && victimCommitted(), 60_000, 'the crawl to get going');
    await new Promise((r) => setTimeout(r, 200));
    victim.child.kill('SIGKILL');
    expect((await victim.exited).code).toBe(null);

    for (const w of workers.slice(0, 2)) {
      const { code, stderr } = await w.exited;
      expect([0, 3], stderr).toContain(code);
    }
    // The killed worker restarts under its id: it repairs its files, finds nothing left, and exits.
    const again = await runCli([...args, '--worker', 'w3'], { timeoutMs: 60_000 });
    expect([0, 3], again.stderr).toContain(again.code);

    const runDir = join(tmp.dir, 'runs', run);
    const counts = await pagesPerUrl(runDir);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(new Set(urls));

    // The server's record across all workers: one request at a time per host, robots.txt once per
    // host, and the host delay (--delay-ms 30) between the end of one request to a host and the
    // start of the next, whichever worker made them, robots.txt requests included
    // (docs/collect.md: the page after robots.txt waits the delay too). The tolerance covers the
    // clocks: the server stamps with performance.now() in this process, workers with Date.now().
    const delayMs = 30;
    const toleranceMs = 5;
    for (const h of web.record.hosts.values()) {
      expect(h.maxConcurrentRequests, h.host).toBeLessThanOrEqual(1);
      expect(h.requests.filter((r) => r.path === '/robots.txt').length, h.host).toBe(1);
      const byStart = [...h.requests].sort((a, b) => a.start - b.start);
      const short = byStart.slice(1).flatMap((r, i) => {
        const prev = byStart[i]!;
        const gap = r.start - prev.end;
        return gap < delayMs - toleranceMs ? [`${prev.path} -> ${r.path}: ${gap.toFixed(1)} ms`] : [];
      });
      expect(short, h.host).toEqual([]);
    }
    // URLs the synthetic web's robots.txt disallows (or disallows all, when it is unreachable)
    // were never requested by any worker.
    const disallowed = urls.filter((u) => !robotsAllowsUrl(web.model, u, 'jarvix'));
    expect(disallowed.length).toBeGreaterThan(0);
    for (const url of disallowed) {
      const u = new URL(url);
      expect(web.record.hosts.get(u.hostname)?.requests.filter((r) => r.path === u.pathname + u.search) ?? [], url).toEqual([]);
    }

    const q = await runCli(['query', '--run', run, '--data', tmp.dir, '--format', 'json', 'SELECT count(*)::INTEGER AS n, count(DISTINCT url)::INTEGER AS d FROM pages']);
    expect(q.code, q.stderr).toBe(0);
    // Rows and distinct URLs counted apart: a duplicated row would raise n alone.
    expect(JSON.parse(q.stdout)).toEqual({ n: urls.length, d: urls.length });

    const status = await runCli(['status', '--run', run, '--data', tmp.dir, '--redis', redis.url(), '--json']);
    expect(status.code, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout) as { done: number; pending: number; inFlight: number; total: number; workers: { worker: string; done: number }[] };
    expect({ done: s.done, pending: s.pending, inFlight: s.inFlight, total: s.total }).toEqual({ done: urls.length, pending: 0, inFlight: 0, total: urls.length });
    expect(s.workers.map((w) => w.worker)).toEqual(['w1', 'w2', 'w3']);
    expect(s.workers.reduce((n, w) => n + w.done, 0)).toBe(urls.length);
    const text = await runCli(['status', '--run', run, '--data', tmp.dir, '--redis', redis.url()]);
    expect(text.stdout).toMatch(new RegExp(`done ${urls.length} of ${urls.length}`));
    expect(text.stdout).toContain('waiting on politeness');
  }, 120_000);
});
