import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { readRecordAt } from '../../src/warc/index.js';
import { STAGE_COLUMNS } from '../../src/stages/index.js';
import { STAGING_DIR } from '../../src/curate/index.js';
import { tempDir } from '../helpers/tmp.js';
import { collectRun, runCommand, snapshot, startOddSite, type Snapshot } from './run-fixture.js';

/** Columns curate re-derives, plus the dead-letter fields it may set. */
const DERIVED = [...STAGE_COLUMNS, 'error_code', 'error_message', 'content_truncated'];

const pick = (row: Record<string, unknown> | undefined, cols: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(cols.map((c) => [c, row?.[c]]));

describe('jarvix curate', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let urls: string[];

  beforeAll(async () => {
    web = await startTestWeb({ seed: 5, hosts: 4, pagesPerHost: 40, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0 });
    tmp = await tempDir();
    urls = [...new Set(web.seedUrls(80))];
    await collectRun(tmp.dir, 'full', urls, { resolveRule: web.resolveRule });
    await collectRun(tmp.dir, 'bare', urls, { resolveRule: web.resolveRule, extract: false });
  });
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('on a finished run reproduces every pages row, link, chunk and dead letter exactly', async () => {
    const runDir = join(tmp.dir, 'runs', 'full');
    const before = await snapshot(runDir);
    expect(before.pages.size).toBe(urls.length);
    expect([...before.pages.values()].filter((r) => r.title !== null).length).toBeGreaterThan(urls.length / 2);
    expect(before.chunks.length).toBeGreaterThan(0);

    const res = await runCommand(['curate', '--run', 'full', '--data', tmp.dir, '--threads', '1', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { pages: number; derived: number; links: number; chunks: number };
    expect(summary.pages).toBe(urls.length);
    expect(summary.derived).toBeGreaterThan(urls.length / 2);

    const after = await snapshot(runDir);
    expect([...after.pages.keys()]).toEqual([...before.pages.keys()]);
    for (const [url, row] of before.pages) expect(after.pages.get(url), url).toEqual(row);
    expect(after.links).toEqual(before.links);
    expect(after.chunks).toEqual(before.chunks);
    expect(after.errors).toEqual(before.errors);
    expect(summary.links).toBe(after.links.length);
    expect(summary.chunks).toBe(after.chunks.length);

    // One generation, all written by curate; nothing staged is left behind.
    for (const t of ['pages', 'links', 'chunks']) {
      const files = (await readdir(join(runDir, t))).filter((f) => f.endsWith('.parquet'));
      expect(files.length, t).toBeGreaterThan(0);
      for (const f of files) expect(f, t).toMatch(new RegExp(`^${t}-curate-`));
    }
    await expect(stat(join(runDir, STAGING_DIR))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fills the derived columns of a run collected without extraction exactly as collect would have', async () => {
    const full = await snapshot(join(tmp.dir, 'runs', 'full'));
    const bareDir = join(tmp.dir, 'runs', 'bare');
    const bare = await snapshot(bareDir);
    // Before: nothing derived at all, so the comparison below can only pass if curate derived it.
    expect([...bare.pages.values()].filter((r) => r.title !== null || r.score !== null)).toEqual([]);
    expect(bare.links).toEqual([]);

    const res = await runCommand(['curate', '--run', 'bare', '--data', tmp.dir, '--threads', '2']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/curated \d+ pages/);
    const after = await snapshot(bareDir);
    expect(after.pages.size).toBe(urls.length);
    for (const [url, row] of full.pages) expect(pick(after.pages.get(url), DERIVED), url).toEqual(pick(row, DERIVED));
    expect(after.links).toEqual(full.links);
    expect(after.chunks).toEqual(full.chunks);
    // Fetch columns are the bare run's own, untouched.
    for (const [url, row] of bare.pages) expect(after.pages.get(url)?.warc_record_offset, url).toEqual(row.warc_record_offset);
  });

  it('follows revisits to their original payload, decodes gzip, and dead-letters a body that does not decode', async () => {
    const site = await startOddSite();
    try {
      await collectRun(tmp.dir, 'odd', site.urls);
    } finally {
      await site.close();
    }
    const runDir = join(tmp.dir, 'runs', 'odd');
    const before = await snapshot(runDir);
    let revisits = 0;
    for (const row of before.pages.values()) {
      if (row.warc_filename === null) continue;
      const rec = await readRecordAt(join(runDir, row.warc_filename as string), Number(row.warc_record_offset));
      if (rec.type === 'revisit') revisits++;
    }
    expect(revisits).toBe(1);
    expect(before.errors.some((e) => e.includes('"stage":"decode"'))).toBe(true);

    const res = await runCommand(['curate', '--run', 'odd', '--data', tmp.dir, '--threads', '1', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const after: Snapshot = await snapshot(runDir);
    for (const [url, row] of before.pages) expect(after.pages.get(url), url).toEqual(row);
    expect(after.links).toEqual(before.links);
    expect(after.chunks).toEqual(before.chunks);
    expect(after.errors).toEqual(before.errors);
    const [a, b, gz] = site.urls.map((u) => after.pages.get(u));
    expect(a?.title).toBe('Same body');
    expect(b?.title).toBe('Same body');
    expect(gz?.title).toBe('Gzipped');
  });

  it('refuses a run that does not exist', async () => {
    const res = await runCommand(['curate', '--run', 'nope', '--data', tmp.dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('JVX_ERR_CURATE_RUN_NOT_FOUND');
  });
});
