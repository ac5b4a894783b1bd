import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runCli, startCli } from '../helpers/cli.js';
import { rawGet } from '../helpers/raw-http.js';
import { tempDir } from '../helpers/tmp.js';

describe('jarvix testweb and jarvix bench (built CLI)', () => {
  it('serves 1000 hosts, writes seeds, reports what it served on SIGTERM', async () => {
    const tmp = await tempDir();
    const seeds = join(tmp.dir, 'seeds.txt');
    const child = startCli(['testweb', '--hosts', '1000', '--json', '--write-seeds', seeds, '--seed-count', '2500']);
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const ready = JSON.parse(String((await lines.next()).value)) as { port: number; resolve: string; seedsWritten: number };
      expect(ready.resolve).toBe(`*.test:127.0.0.1:${ready.port}`);
      expect(ready.seedsWritten).toBe(2500);
      const urls = (await readFile(seeds, 'utf8')).trim().split('\n');
      expect(urls).toHaveLength(2500);
      expect(new Set(urls.map((u) => new URL(u).hostname)).size).toBe(1000);
      const res = await rawGet(ready.port, 'site-0999.test', '/', { timeoutMs: 5_000 });
      expect(res.status).toBe(200);
      child.kill('SIGTERM');
      const summary = JSON.parse(String((await lines.next()).value)) as { served: number };
      expect(summary.served).toBe(1);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await tmp.cleanup();
    }
  });

  it('rejects a bad option with exit code 2, naming it', async () => {
    const res = await runCli(['testweb', '--hosts', '0']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--hosts');
  });

  it('bench runs the baseline and collect, checks its own work, and reports the ratio', async () => {
    const res = await runCli(['bench', '--urls', '300', '--hosts', '30', '--concurrent', '20', '--delay-ms', '0', '--json']);
    expect(res.code, res.stderr).toBe(0);
    type Out = { workload: string; ok: boolean; pages: number; rows?: number; refused?: number; pagesPerSecond: number; ratioToBaseline: number; server: { served: number }; peakRssMB: number };
    const [baseline, collect] = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Out);
    expect(baseline!.workload).toBe('baseline');
    expect(baseline!.ok).toBe(true);
    expect(baseline!.pages).toBe(300);
    expect(baseline!.server.served).toBe(300);
    expect(baseline!.pagesPerSecond).toBeGreaterThan(0);
    expect(baseline!.peakRssMB).toBeGreaterThan(10);
    expect(collect!.workload).toBe('collect');
    expect(collect!.ok).toBe(true);
    expect(collect!.rows).toBe(300);
    expect(collect!.pages + collect!.refused!).toBe(300);
    expect(collect!.ratioToBaseline).toBeGreaterThan(0);
    const table = await runCli(['bench', '--urls', '50', '--hosts', '5', '--workload', 'baseline']);
    expect(table.stdout).toMatch(/pages\/s\s+\d/);
    const bad = await runCli(['bench', '--workload', 'nope']);
    expect(bad.code).toBe(2);
  });
});
