import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { readRecordAt, readWarc } from '../../src/warc/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * docs/design.md, "Delivery guarantee": after kill -9 at any moment, the resumed run ends with every
 * input URL exactly once in the dataset and every WARC record whole. Kills land at random moments.
 */
describe('kill -9 and resume', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    web = await startTestWeb({ seed: 11, hosts: 30, pagesPerHost: 100, latency: { kind: 'fixed', medianMs: 5 }, faults: 0.05 });
    tmp = await tempDir();
  });
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('loses nothing and duplicates nothing across repeated SIGKILLs', async () => {
    const urls = [...new Set(web.seedUrls(400))];
    const input = join(tmp.dir, 'seeds.txt');
    await writeFile(input, urls.join('\n'));
    const args = [
      'collect', '--run', 'crashy', '--data', tmp.dir, '--input', input,
      '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '20', '--timeout-ms', '1500',
      '--checkpoint-every', '25', '--checkpoint-interval-ms', '200', '--progress', 'none',
    ];
    let killed = 0;
    for (let i = 0; i < 6; i++) {
      const child = startCli(args);
      let exited = false;
      child.on('exit', () => (exited = true));
      await sleep(300 + Math.floor(Math.random() * 1200));
      if (exited) break;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      killed++;
    }
    const final = await runCli(args, { timeoutMs: 180_000 });
    expect([0, 3], final.stderr).toContain(final.code);
    expect(killed).toBeGreaterThan(0);

    const runDir = join(tmp.dir, 'runs', 'crashy');
    const db = await openRunDatabase(runDir);
    try {
      const rows = (await db.query('SELECT url, count(*)::INTEGER AS n FROM pages GROUP BY url')) as { url: string; n: number }[];
      expect(rows.length).toBe(urls.length);
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      expect(new Set(rows.map((r) => r.url))).toEqual(new Set(urls));
      // Every pointer into the WARC leads to a whole response record of that URL.
      const ptrs = (await db.query(
        'SELECT url, fetch_redirect, warc_filename, warc_record_offset::BIGINT AS off FROM pages WHERE warc_filename IS NOT NULL',
      )) as { url: string; fetch_redirect: string | null; warc_filename: string; off: bigint | number }[];
      expect(ptrs.length).toBeGreaterThan(urls.length / 2);
      for (const p of ptrs.slice(0, 150)) {
        const rec = await readRecordAt(join(runDir, p.warc_filename), Number(p.off));
        expect(['response', 'revisit']).toContain(rec.type);
        expect([p.url, p.fetch_redirect]).toContain(rec.targetUri);
      }
    } finally {
      await db.close();
    }
    // Every WARC file reads to its end without an error: only whole records.
    for (const f of (await readdir(join(runDir, 'warc'))).filter((n) => n.endsWith('.warc.gz'))) {
      let n = 0;
      for await (const rec of readWarc(join(runDir, 'warc', f))) {
        expect(rec.type).toBeTruthy();
        n++;
      }
      expect(n).toBeGreaterThan(0);
    }
  });
});
