import { describe, expect, it } from 'vitest';
import { readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWeb } from '../../src/testweb/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

async function urlCounts(runDir: string): Promise<{ url: string; n: number }[]> {
  const db = await openRunDatabase(runDir);
  try {
    return (await db.query('SELECT url, count(*)::INTEGER AS n FROM pages GROUP BY url')) as { url: string; n: number }[];
  } finally {
    await db.close();
  }
}

interface CheckJson {
  ok: boolean;
  problemCount: number;
  problems: { code: string; file: string; url?: string }[];
}

describe('jarvix check and collect --repair', () => {
  it('finds a deleted shard and a truncated WARC, and --repair fetches exactly the lost URLs again, each URL once', { timeout: 240_000 }, async () => {
    const web = await startTestWeb({ seed: 31, hosts: 3, pagesPerHost: 40, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0 });
    const tmp = await tempDir();
    try {
      const urls = web.seedUrls(60);
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, urls.join('\n'));
      const run = ['--run', 'heal', '--data', tmp.dir];
      const collect = ['collect', ...run, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '0', '--progress', 'none', '--no-extract', '--checkpoint-every', '15'];
      const runDir = join(tmp.dir, 'runs', 'heal');
      const check = async (): Promise<{ code: number | null; report: CheckJson; stderr: string }> => {
        const res = await runCli(['check', ...run, '--json']);
        return { code: res.code, report: JSON.parse(res.stdout) as CheckJson, stderr: res.stderr };
      };
      expect((await runCli(collect)).code).toBe(0);
      const clean = await check();
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.report.ok).toBe(true);

      // A committed pages shard deleted: check names it; status warns; --repair heals it.
      const shards = (await readdir(join(runDir, 'pages'))).filter((n) => n.endsWith('.parquet'));
      expect(shards.length).toBeGreaterThan(1);
      await rm(join(runDir, 'pages', shards[0]!));
      const broken = await check();
      expect(broken.code).toBe(3);
      expect(broken.report.problems).toContainEqual(expect.objectContaining({ code: 'JVX_ERR_CHECK_SHARD_MISSING', file: `pages/${shards[0]}` }));
      const status = await runCli(['status', ...run]);
      expect(status.stderr).toContain('JVX_ERR_CHECK_SHARD_MISSING');
      expect(status.stderr).toContain('--repair');
      const lostCount = urls.length - (await urlCounts(runDir)).length;
      expect(lostCount).toBeGreaterThan(0);
      const repaired = await runCli([...collect, '--repair']);
      expect(repaired.code, repaired.stderr).toBe(0);
      expect(repaired.stderr).toContain(`repair: ${lostCount} URL(s) to fetch again`);
      expect((await check()).report.ok).toBe(true);
      let rows = await urlCounts(runDir);
      expect(rows).toHaveLength(urls.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);

      // A WARC truncated in the middle: the pointers past the cut and the index no longer match.
      const warcs = (await readdir(join(runDir, 'warc'))).filter((n) => n.endsWith('.warc.gz'));
      const first = join(runDir, 'warc', warcs.sort()[0]!);
      await truncate(first, Math.floor((await stat(first)).size / 2));
      const cut = await check();
      expect(cut.code).toBe(3);
      expect(cut.report.problems.some((p) => p.code === 'JVX_ERR_CHECK_RECORD_UNREADABLE' && p.url !== undefined)).toBe(true);
      const curate = await runCli(['curate', ...run]);
      expect(curate.stderr).toContain('--repair');
      const again = await runCli([...collect, '--repair']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/repair: [1-9]\d* URL\(s\) to fetch again/);
      const healed = await check();
      expect(healed.report.problems).toEqual([]);
      expect(healed.code).toBe(0);
      rows = await urlCounts(runDir);
      expect(rows).toHaveLength(urls.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // A whole run: --repair finds nothing to fetch.
      const noop = await runCli([...collect, '--repair']);
      expect(noop.stderr).toContain('repair: 0 URL(s) to fetch again (the run is whole)');
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  });
});
