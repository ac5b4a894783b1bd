import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestWeb } from '../../src/testweb/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('collect: SIGINT drains, checkpoints and exits; the next run resumes', () => {
  it('stops on the first signal with what it finished committed, then completes every URL once', async () => {
    const web = await startTestWeb({ seed: 5, hosts: 10, pagesPerHost: 40, latency: { kind: 'fixed', medianMs: 80 }, faults: 0, crawlDelaySeconds: 0 });
    const tmp = await tempDir();
    try {
      const urls = web.seedUrls(300);
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, urls.join('\n'));
      const args = ['collect', '--run', 'sig', '--data', tmp.dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '50', '--progress', 'none', '--no-extract'];
      const child = startCli(args);
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      await sleep(2_500);
      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      expect(stderr).toContain('SIGINT: finishing in-flight pages and checkpointing');
      expect(code).toBe(1);
      const manifest = JSON.parse(await readFile(join(tmp.dir, 'runs', 'sig', 'run.json'), 'utf8')) as { status: string };
      expect(manifest.status).toBe('interrupted');
      const runDir = join(tmp.dir, 'runs', 'sig');
      let db = await openRunDatabase(runDir);
      const partial = Number(((await db.query('SELECT count(*) AS n FROM pages')) as { n: number }[])[0]!.n);
      await db.close();
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(urls.length);

      const resumed = await runCli(args, { timeoutMs: 120_000 });
      expect(resumed.code, resumed.stderr).toBe(0);
      db = await openRunDatabase(runDir);
      try {
        const rows = (await db.query('SELECT url, count(*)::INTEGER AS n FROM pages GROUP BY url')) as { url: string; n: number }[];
        expect(rows).toHaveLength(urls.length);
        expect(rows.every((r) => r.n === 1)).toBe(true);
      } finally {
        await db.close();
      }
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  });
});
