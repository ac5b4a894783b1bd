import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { scanTable } from '../../src/dataset/index.js';
import { indexFiles } from '../../src/search/index.js';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Pages of the index files: url → how many times it is indexed. */
function indexedUrls(runDir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of indexFiles(runDir)) {
    const db = new Database(f, { readonly: true });
    for (const { url } of db.prepare('SELECT url FROM docs').all() as { url: string }[]) out.set(url, (out.get(url) ?? 0) + 1);
    db.close();
  }
  return out;
}

/** Pages with a title or text in the committed dataset: what the index must hold, each once. */
async function searchablePages(runDir: string): Promise<Set<string>> {
  const withText = new Set<string>();
  for await (const rows of scanTable(runDir, 'chunks', { columns: ['url'] })) for (const r of rows) withText.add(r.url as string);
  const out = new Set<string>();
  for await (const rows of scanTable(runDir, 'pages', { columns: ['url', 'title'] })) {
    for (const r of rows) if ((typeof r.title === 'string' && r.title.trim() !== '') || withText.has(r.url as string)) out.add(r.url as string);
  }
  return out;
}

/**
 * The index is written checkpoint by checkpoint inside collect's exactly-once protocol: after
 * kill -9 at random moments and a resume, every searchable page is in the index exactly once.
 */
describe('search index across kill -9 and resume', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    web = await startTestWeb({ seed: 21, hosts: 12, pagesPerHost: 40, latency: { kind: 'fixed', medianMs: 5 } });
    tmp = await tempDir();
  });
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('holds each page exactly once, and search and index agree', async () => {
    const urls = [...new Set(web.seedUrls(160))];
    const input = join(tmp.dir, 'seeds.txt');
    await writeFile(input, urls.join('\n'));
    const args = [
      'collect', '--run', 'crashy', '--data', tmp.dir, '--input', input,
      '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '10', '--timeout-ms', '1500',
      '--checkpoint-every', '10', '--checkpoint-interval-ms', '150', '--progress', 'none',
    ];
    let killed = 0;
    for (let i = 0; i < 4; i++) {
      const child = startCli(args);
      let exited = false;
      child.on('exit', () => (exited = true));
      await sleep(700 + Math.floor(Math.random() * 900));
      if (exited) break;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      killed++;
    }
    const final = await runCli(args, { timeoutMs: 120_000 });
    expect([0, 3], final.stderr).toContain(final.code);
    expect(killed).toBeGreaterThan(0);

    const runDir = join(tmp.dir, 'runs', 'crashy');
    const want = await searchablePages(runDir);
    expect(want.size).toBeGreaterThan(urls.length / 2);
    const got = indexedUrls(runDir);
    expect([...got].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(got.keys())).toEqual(want);

    // `jarvix index` builds the same page set from the shards.
    const built = await runCli(['index', '--run', 'crashy', '--data', tmp.dir, '--json']);
    expect(built.code, built.stderr).toBe(0);
    expect(JSON.parse(built.stdout).pages).toBe(want.size);
    expect(new Set(indexedUrls(runDir).keys())).toEqual(want);

    // `jarvix search --json` finds pages of the run; a malformed query exits 2 with its code.
    const word = 'the';
    const found = await runCli(['search', '--run', 'crashy', '--data', tmp.dir, word, '--json', '--limit', '5']);
    expect(found.code, found.stderr).toBe(0);
    const res = JSON.parse(found.stdout) as { results: { url: string; replay: string }[] };
    expect(res.results.length).toBeGreaterThan(0);
    for (const h of res.results) expect(want.has(h.url)).toBe(true);
    const badQ = await runCli(['search', '--run', 'crashy', '--data', tmp.dir, '"open']);
    expect(badQ.code).toBe(2);
    expect(badQ.stderr).toContain('JVX_ERR_SEARCH_QUERY_INVALID');
    const none = await runCli(['search', '--run', 'nope', '--data', tmp.dir, 'x']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('JVX_ERR_SEARCH_INDEX_MISSING');
  }, 240_000);
});
