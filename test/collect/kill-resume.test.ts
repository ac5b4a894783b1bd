import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { readRecordAt, verifyWarc } from '../../src/warc/index.js';
import { readWithWarcio } from '../warc/warcio-read.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * docs/design.md, "Delivery guarantee": after kill -9 at any moment, the resumed run ends with every
 * input URL exactly once in the dataset and every WARC record whole. Each kill lands at a random
 * moment after a checkpoint was committed (so committed work exists to keep, and a later tail to
 * discard). The WARCs are verified (gzip members, lengths, digests) and read by warcio.js, and the
 * server's own record shows the host delay was kept across the restarts.
 */

/** Checkpoints committed so far, from run.json (written durably, so never half a file). */
async function committedCheckpoints(runDir: string): Promise<number> {
  try {
    return (JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as { checkpoints: { count: number } }).checkpoints.count;
  } catch {
    return 0;
  }
}
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
    const runDir = join(tmp.dir, 'runs', 'crashy');
    web.resetRecord();
    let killed = 0;
    let killedAfterCommit = 0;
    for (let i = 0; i < 3; i++) {
      const before = await committedCheckpoints(runDir);
      const child = startCli(args);
      let exited = false;
      child.on('exit', () => (exited = true));
      // Wait for this process to commit a checkpoint (bounded), then kill it a random moment later.
      for (let waited = 0; !exited && waited < 30_000 && (await committedCheckpoints(runDir)) <= before; waited += 25) await sleep(25);
      const committed = (await committedCheckpoints(runDir)) > before;
      await sleep(Math.floor(Math.random() * 400));
      if (exited) break;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      killed++;
      if (committed) killedAfterCommit++;
    }
    const final = await runCli(args, { timeoutMs: 180_000 });
    expect([0, 3], final.stderr).toContain(final.code);
    expect(killed).toBeGreaterThan(0);
    expect(killedAfterCommit, 'a kill landed after a committed checkpoint').toBeGreaterThan(0);

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
    // Every WARC verifies (whole gzip members, Content-Length, digests): a cut record fails here
    // (JVX_ERR_WARC_GZIP_TRUNCATED). warcio.js, a third-party reader, reads the same records.
    const warcs = (await readdir(join(runDir, 'warc'))).filter((n) => n.endsWith('.warc.gz'));
    expect(warcs.length).toBeGreaterThan(killed);
    for (const f of warcs) {
      const path = join(runDir, 'warc', f);
      const check = await verifyWarc(path);
      expect(check.problems, f).toEqual([]);
      expect(check.records, f).toBeGreaterThan(0);
      const theirs = await readWithWarcio(path, false);
      expect(theirs.length, f).toBe(check.records);
      expect(theirs[0]!.type, f).toBe('warcinfo');
      for (const r of theirs.filter((x) => x.type === 'response')) expect(r.uri, f).toMatch(/^http:\/\/site-\d+\.test/);
    }

    // The server's record, across every process: one request at a time per host, and the host
    // delay (20 ms) kept between them, restarts included.
    for (const [host, rec] of web.record.hosts) {
      expect(rec.maxConcurrentRequests, host).toBeLessThanOrEqual(1);
      if (rec.requests.length > 1) expect(web.record.minGapMs(host), host).toBeGreaterThanOrEqual(18);
    }
  }, 240_000);
});
