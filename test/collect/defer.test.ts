import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWeb } from '../../src/testweb/index.js';
import { parseResolveRule } from '../../src/net/index.js';
import { Collector } from '../../src/collect/collector.js';
import { tempDir } from '../helpers/tmp.js';

describe('collect: a Crawl-delay is waited out of the pool', () => {
  it('with one slot, every host gets its robots.txt before any host waits its Crawl-delay, and the gaps are kept', async () => {
    // Every host sets Crawl-delay 1 s. With a single concurrency slot, a task that slept through
    // the delay after robots.txt would hold the slot: host 1 would wait for host 0's first page.
    const web = await startTestWeb({ seed: 31, hosts: 3, pagesPerHost: 3, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 1, robots: { crawlDelay: 1 } });
    const tmp = await tempDir();
    try {
      const urls = [0, 1, 2].flatMap((h) => [web.url(h, 0), web.url(h, 1)]);
      await writeFile(join(tmp.dir, 'seeds.txt'), urls.join('\n'));
      const collector = new Collector({
        dataDir: tmp.dir,
        runId: 'defer',
        input: join(tmp.dir, 'seeds.txt'),
        resolve: [parseResolveRule(web.resolveRule)],
        allowPrivate: true,
        minConcurrency: 1,
        maxConcurrency: 1,
        hostDelayMs: 0,
        extract: false,
        progress: 'none',
      });
      const summary = await collector.run();
      expect(summary.counts.fetched).toBe(urls.length);

      const all = [...web.record.hosts.values()].flatMap((rec) => rec.requests.map((r) => ({ host: rec.host, path: r.path, start: r.start })));
      all.sort((a, b) => a.start - b.start);
      const firstPage = all.findIndex((r) => r.path !== '/robots.txt');
      expect(all.slice(0, firstPage).map((r) => r.host).sort()).toEqual(['site-0000.test', 'site-0001.test', 'site-0002.test']);
      for (const [host, rec] of web.record.hosts) {
        expect(rec.maxConcurrentRequests, host).toBe(1);
        expect(rec.requests.length, host).toBe(3);
        expect(web.record.minGapMs(host), host).toBeGreaterThanOrEqual(1000 * 0.95);
      }
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  }, 30_000);
});
