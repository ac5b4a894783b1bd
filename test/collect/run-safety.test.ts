import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

async function urlCounts(runDir: string): Promise<{ url: string; n: number }[]> {
  const db = await openRunDatabase(runDir);
  try {
    return (await db.query('SELECT url, count(*)::INTEGER AS n FROM pages GROUP BY url')) as { url: string; n: number }[];
  } finally {
    await db.close();
  }
}

async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name).slice(dir.length + 1));
  return out.sort();
}

function collectArgs(web: TestWeb, dir: string, input: string, run: string): string[] {
  return ['collect', '--run', run, '--data', dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '20', '--progress', 'none', '--no-extract'];
}

describe('collect: a run folder nobody breaks by accident', () => {
  it('refuses a second collect on a running run (coded, naming the holder); the first finishes every URL exactly once', { timeout: 180_000 }, async () => {
    // Slow pages (about 7 s for the whole list), so the first is still running when the second starts.
    const web = await startTestWeb({ seed: 11, hosts: 6, pagesPerHost: 60, latency: { kind: 'fixed', medianMs: 150 }, faults: 0, crawlDelaySeconds: 0 });
    const tmp = await tempDir();
    try {
      const urls = web.seedUrls(240);
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, urls.join('\n'));
      const args = collectArgs(web, tmp.dir, input, 'twice');
      const first = startCli(args);
      let firstErr = '';
      first.stderr!.setEncoding('utf8').on('data', (d: string) => (firstErr += d));
      // Wait until the first one holds the run (its state exists), then start the same command again.
      const runDir = join(tmp.dir, 'runs', 'twice');
      for (let i = 0; i < 200 && !(await stat(join(runDir, 'state.sqlite')).catch(() => null)); i++) await sleep(50);
      const second = await runCli(args, { timeoutMs: 60_000 });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('JVX_ERR_RUN_BUSY');
      expect(second.stderr).toContain(`pid ${first.pid}`);
      const [code] = await once(first, 'exit');
      expect(code, firstErr).toBe(0);
      const rows = await urlCounts(runDir);
      expect(rows).toHaveLength(urls.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  });

  it('with state.sqlite deleted refuses and leaves every old file in place; --fresh moves them aside and says where', { timeout: 180_000 }, async () => {
    const web = await startTestWeb({ seed: 12, hosts: 3, pagesPerHost: 10, latency: { kind: 'fixed', medianMs: 5 }, faults: 0, crawlDelaySeconds: 0 });
    const tmp = await tempDir();
    try {
      const urls = web.seedUrls(20);
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, urls.join('\n'));
      const args = collectArgs(web, tmp.dir, input, 'lost');
      const runDir = join(tmp.dir, 'runs', 'lost');
      expect((await runCli(args)).code).toBe(0);
      await rm(join(runDir, 'state.sqlite'));
      await rm(join(runDir, 'state.sqlite-wal'), { force: true });
      await rm(join(runDir, 'state.sqlite-shm'), { force: true });
      const before = (await listAll(runDir)).filter((f) => !f.startsWith('.lock/'));
      expect(before.some((f) => f.startsWith('warc/'))).toBe(true);
      expect(before.some((f) => f.startsWith('pages/'))).toBe(true);

      const refused = await runCli(args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('JVX_ERR_COLLECT_STATE_MISSING');
      expect(refused.stderr).toContain('--fresh');
      expect((await listAll(runDir)).filter((f) => !f.startsWith('.lock/'))).toEqual(before);

      const fresh = await runCli([...args, '--fresh']);
      expect(fresh.code, fresh.stderr).toBe(0);
      const moved = /moved \d+ entries .* to (\S+)/.exec(fresh.stderr)?.[1];
      expect(moved).toBeDefined();
      const aside = (await listAll(moved!)).map((f) => f);
      for (const f of before) expect(aside).toContain(f);
      // The new run is whole on its own: every URL once.
      const rows = await urlCounts(runDir);
      expect(rows).toHaveLength(urls.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  });
});
