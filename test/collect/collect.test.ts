import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { robotsAllowsUrl, startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { parseResolveRule } from '../../src/net/index.js';
import { Collector } from '../../src/collect/collector.js';
import { openRunDatabase } from '../../src/query/index.js';
import { tempDir } from '../helpers/tmp.js';

/** Politeness and outcomes checked from the synthetic web's own record of what it served. */
describe('collect against the synthetic web', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    web = await startTestWeb({ seed: 7, hosts: 20, pagesPerHost: 200, latency: { kind: 'none' }, faults: 0.15 });
    tmp = await tempDir();
  });
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('records every input URL exactly once, never exceeds per-host limits, honours robots and delays', async () => {
    const urls = web.seedUrls(300);
    const input = join(tmp.dir, 'seeds.txt');
    await writeFile(input, ['# seeds', '', ...urls, 'not a url', urls[0]].join('\n'));
    web.resetRecord();
    const collector = new Collector({
      dataDir: tmp.dir,
      runId: 'polite',
      input,
      resolve: [parseResolveRule(web.resolveRule)],
      allowPrivate: true,
      hostDelayMs: 50,
      maxConcurrency: 32,
      timeoutMs: 2_000,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 500,
      progress: 'none',
      checkpointEveryRecords: 50,
    });
    const summary = await collector.run();
    expect(summary.interrupted).toBe(false);

    const db = await openRunDatabase(join(tmp.dir, 'runs', 'polite'));
    try {
      const rows = (await db.query('SELECT url, count(*)::INTEGER AS n FROM pages GROUP BY url')) as { url: string; n: number }[];
      const byUrl = new Map(rows.map((r) => [r.url, r.n]));
      const unique = [...new Set(urls)];
      expect(byUrl.size).toBe(unique.length);
      for (const u of unique) expect(byUrl.get(u)).toBe(1);

      // robots, from the synthetic web's own truth (its robots.txt, and disallow-all when that is
      // unreachable), not from jarvix's verdicts: every URL it disallows was never requested and
      // is recorded as refused; only those are recorded as robots refusals.
      const codes = new Map(((await db.query('SELECT url, error_code FROM pages')) as { url: string; error_code: string | null }[]).map((r) => [r.url, r.error_code]));
      const disallowed = unique.filter((u) => !robotsAllowsUrl(web.model, u, 'jarvix'));
      expect(disallowed.length, 'the seeds include URLs robots.txt disallows').toBeGreaterThan(5);
      for (const url of disallowed) {
        const u = new URL(url);
        const served = web.record.hosts.get(u.hostname)?.requests.filter((r) => r.path === u.pathname + u.search) ?? [];
        expect(served, url).toHaveLength(0);
        expect(codes.get(url), url).toMatch(/^JVX_ERR_(ROBOTS_DISALLOWED|POLICY_)/);
      }
      const disallowedSet = new Set(disallowed);
      for (const [url, code] of codes) if (code === 'JVX_ERR_ROBOTS_DISALLOWED') expect(disallowedSet.has(url), url).toBe(true);
      // every failure has a code
      const failed = (await db.query(`SELECT count(*)::INTEGER AS n FROM pages WHERE fetch_status IS NULL AND error_code IS NULL`)) as { n: number }[];
      expect(failed[0]!.n).toBe(0);
    } finally {
      await db.close();
    }

    // Server's view: never more than one request at a time per host, and the delay kept.
    for (const [host, rec] of web.record.hosts) {
      expect(rec.maxConcurrentRequests, host).toBeLessThanOrEqual(1);
      if (rec.requests.length > 1) expect(web.record.minGapMs(host), host).toBeGreaterThanOrEqual(45);
    }
  });
});
