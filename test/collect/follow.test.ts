import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWeb } from '../../src/testweb/index.js';
import { parseResolveRule } from '../../src/net/index.js';
import { Collector } from '../../src/collect/collector.js';
import { openRunDatabase } from '../../src/query/index.js';
import { tempDir } from '../helpers/tmp.js';

describe('collect --follow', () => {
  it('turns two seeds into a crawl: links within the host, one hop deep, each URL once', async () => {
    const web = await startTestWeb({ seed: 12, hosts: 4, pagesPerHost: 30, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0, robots: {} });
    const tmp = await tempDir();
    try {
      const seeds = [web.url(0, 0), web.url(1, 0)];
      await writeFile(join(tmp.dir, 'seeds.txt'), seeds.join('\n'));
      const collector = new Collector({
        dataDir: tmp.dir,
        runId: 'follow',
        input: join(tmp.dir, 'seeds.txt'),
        resolve: [parseResolveRule(web.resolveRule)],
        allowPrivate: true,
        hostDelayMs: 0,
        follow: true,
        maxDepth: 1,
        scope: 'host',
        progress: 'none',
      });
      await collector.run();
      const db = await openRunDatabase(join(tmp.dir, 'runs', 'follow'));
      try {
        const rows = (await db.query('SELECT url, depth, url_host_name FROM pages')) as { url: string; depth: number; url_host_name: string }[];
        const urls = rows.map((r) => r.url);
        expect(new Set(urls).size).toBe(urls.length);
        // Depth 1 is exactly the in-host links of the seeds, nofollow ones left out.
        const expected = new Set<string>(seeds);
        for (const seed of seeds) {
          const truth = web.describe(seed);
          for (const l of truth.outlinks) if (!l.nofollow && new URL(l.url).hostname === truth.host && !truth.metaNofollow) expected.add(l.url);
        }
        expect(new Set(urls)).toEqual(expected);
        expect(rows.filter((r) => r.depth === 1).length).toBe(expected.size - 2);
        expect(rows.every((r) => r.url_host_name === 'site-0000.test' || r.url_host_name === 'site-0001.test')).toBe(true);
        expect(Math.max(...rows.map((r) => r.depth))).toBe(1);
        const links = (await db.query("SELECT count(*)::INTEGER AS n FROM links WHERE src_url = 'http://site-0000.test/'")) as { n: number }[];
        expect(links[0]!.n).toBeGreaterThan(5);
      } finally {
        await db.close();
      }
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  });
});
