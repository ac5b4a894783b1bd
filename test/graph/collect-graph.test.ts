import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Collector } from '../../src/collect/collector.js';
import { DatasetWriter, pageRowBase } from '../../src/dataset/index.js';
import { buildGraph, handleGraphRequest, type GraphManifest } from '../../src/graph/index.js';
import { parseResolveRule } from '../../src/net/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { createScorer, DEFAULT_PROFILE, validateProfile } from '../../src/score/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** The graph of a real `--follow` collect on the synthetic web, checked against its own links table. */
describe('jarvix graph on a real collect', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let runDir: string;
  let manifest: GraphManifest;

  beforeAll(async () => {
    web = await startTestWeb({ seed: 16, hosts: 3, pagesPerHost: 25, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0, robots: {} });
    tmp = await tempDir();
    await writeFile(join(tmp.dir, 'seeds.txt'), [web.url(0, 0), web.url(1, 0)].join('\n'));
    await new Collector({
      dataDir: tmp.dir,
      runId: 'crawl',
      input: join(tmp.dir, 'seeds.txt'),
      resolve: [parseResolveRule(web.resolveRule)],
      allowPrivate: true,
      hostDelayMs: 0,
      follow: true,
      maxDepth: 2,
      scope: 'any',
      progress: 'none',
    }).run();
    runDir = join(tmp.dir, 'runs', 'crawl');
    manifest = await buildGraph({ runDirs: [runDir], formats: ['parquet', 'cc'] });
  }, 120_000);

  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('has one vertex per page and link end, one edge per distinct non-self link, as the links table says', async () => {
    const db = await openRunDatabase(runDir, { threads: 1 });
    try {
      const [want] = (await db.query(`
        WITH l AS (SELECT DISTINCT split_part(src_url, '#', 1) AS s, split_part(dst_url, '#', 1) AS d FROM links),
             v AS (SELECT url AS u FROM pages UNION SELECT s FROM l UNION SELECT d FROM l UNION SELECT fetch_redirect FROM pages WHERE fetch_redirect IS NOT NULL)
        SELECT (SELECT count(*) FROM v)::INTEGER AS vertices, (SELECT count(*) FROM l WHERE s <> d)::INTEGER AS edges`)) as { vertices: number; edges: number }[];
      expect(manifest.vertices).toBe(want!.vertices);
      // Redirect edges come on top of the links (none expected from this synthetic web's pages but counted).
      expect(manifest.edges).toBeGreaterThanOrEqual(want!.edges);
      expect(manifest.edges).toBeLessThanOrEqual(want!.edges + manifest.source.redirects);
      const [sums] = (await db.query('SELECT sum(pagerank) AS pr, count(*)::INTEGER AS n, max(pagerank_pos)::INTEGER AS maxpos FROM vertices')) as { pr: number; n: number; maxpos: number }[];
      expect(sums!.pr).toBeCloseTo(1, 9);
      expect(sums!.n).toBe(manifest.vertices);
      expect(sums!.maxpos).toBe(manifest.vertices);
      // Out-degree of a page = its distinct link targets (minus itself).
      const [seed] = (await db.query(`SELECT out_degree::INTEGER AS d FROM vertices WHERE url = '${web.url(0, 0)}'`)) as { d: number }[];
      const [links] = (await db.query(`SELECT count(DISTINCT dst_url)::INTEGER AS d FROM links WHERE src_url = '${web.url(0, 0)}' AND dst_url <> src_url`)) as { d: number }[];
      expect(seed!.d).toBe(links!.d);
      const nofollow = (await db.query('SELECT count(*)::INTEGER AS n FROM edges WHERE nofollow_count > 0')) as { n: number }[];
      expect(nofollow[0]!.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
    expect(manifest.pagerank.converged).toBe(true);
    expect(manifest.harmonic.method).toBe('exact');
  });

  it('writes Common Crawl text files with their columns and order', async () => {
    const lines = async (f: string): Promise<string[]> => gunzipSync(await readFile(join(runDir, 'graph', f))).toString('utf8').trimEnd().split('\n');
    const vertices = await lines('vertices.txt.gz');
    expect(vertices.length).toBe(manifest.vertices);
    expect(vertices[0]).toMatch(/^0\thttp:\/\//);
    const names = vertices.map((l) => l.split('\t')[1]!);
    expect([...names].sort()).toEqual(names);
    const edges = await lines('edges.txt.gz');
    expect(edges.length).toBe(manifest.edges);
    const ranks = await lines('ranks.txt.gz');
    expect(ranks[0]).toBe('#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev');
    const first = ranks[1]!.split('\t');
    expect(first[0]).toBe('1');
    expect(ranks.length).toBe(manifest.vertices + 1);
  });

  it('answers neighbours and paths from the CLI and the HTTP handler, with coded errors for bad input', async () => {
    const data = tmp.dir;
    const seed = web.url(0, 0);
    const r = await runCli(['graph', 'neighbours', '--run', 'crawl', '--data', data, seed, '--json']);
    expect(r.code).toBe(0);
    const nb = JSON.parse(r.stdout) as { total: number; neighbours: { name: string; hops: number }[] };
    const db = await openRunDatabase(runDir, { threads: 1 });
    try {
      const dsts = ((await db.query(`SELECT DISTINCT dst_url FROM links WHERE src_url = '${seed}' AND dst_url <> src_url ORDER BY 1`)) as { dst_url: string }[]).map((x) => x.dst_url);
      expect(nb.neighbours.map((v) => v.name).sort()).toEqual(dsts);
    } finally {
      await db.close();
    }
    const target = nb.neighbours[0]!.name;
    const http = await handleGraphRequest('path', new URLSearchParams({ run: 'crawl', from: seed, to: target }), { dataDir: data });
    expect(http.status).toBe(200);
    expect((http.body as { length: number }).length).toBe(1);
    const unknown = await handleGraphRequest('neighbours', new URLSearchParams({ run: 'crawl', node: 'http://nowhere.test/' }), { dataDir: data });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { code: string } }).error.code).toBe('JVX_ERR_GRAPH_UNKNOWN_NODE');
    const bad = await handleGraphRequest('neighbours', new URLSearchParams({ run: 'crawl', node: seed, hops: 'x' }), { dataDir: data });
    expect(bad.status).toBe(400);
    const notBuilt = await handleGraphRequest('neighbours', new URLSearchParams({ run: 'crawl', node: 'site-0000.test' }), { dataDir: data });
    expect((notBuilt.body as { error: { code: string } }).error.code).toBe('JVX_ERR_GRAPH_NOT_BUILT');
    const cli = await runCli(['graph', 'path', '--run', 'crawl', '--data', data, seed, 'http://nowhere.test/']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('JVX_ERR_GRAPH_UNKNOWN_NODE');
    expect(cli.stderr).toContain('nowhere.test');
  });

  it('builds host and domain levels with reversed names, and graphs two runs together', async () => {
    const host = await buildGraph({ runDirs: [runDir], level: 'host' });
    expect(host.vertices).toBeGreaterThanOrEqual(2);
    const r = await runCli(['graph', 'neighbours', '--run', 'crawl', '--data', tmp.dir, 'site-0000.test', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { start: { name: string } }).start.name).toBe('test.site-0000');
    // A second run with one page linking into the first run's pages.
    const other = join(tmp.dir, 'runs', 'other');
    const w = await DatasetWriter.open({ runDir: other, worker: 'w1' });
    w.append('pages', [pageRowBase('http://elsewhere.test/')]);
    w.append('links', [{ src_url: 'http://elsewhere.test/', dst_url: web.url(0, 0), anchor_text: null, rel: null, nofollow: false }]);
    await w.publish((await w.stage(1)).shards);
    await w.close();
    const both = await buildGraph({ runDirs: [runDir, other], level: 'domain' });
    expect(both.runs).toEqual(['crawl', 'other']);
    const db = await openRunDatabase(runDir, { threads: 1 });
    try {
      const rows = (await db.query("SELECT host_rev, n_hosts::INTEGER AS n, out_degree::INTEGER AS o FROM domain_vertices WHERE host_rev = 'test.elsewhere'")) as { n: number; o: number }[];
      expect(rows).toEqual([{ host_rev: 'test.elsewhere', n: 1, o: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('turns the rank into a score only when a profile weighs it', async () => {
    const row = { fetch_status: 200, error_code: null, attempts: 1, title: 'A title of a page', description: null, word_count: 100, language: 'en', soft_404: false, paywall: false, buy_intent: 0.2 };
    const off = createScorer(DEFAULT_PROFILE);
    expect(off({ ...row, rank: 100 })).toEqual(off(row));
    const on = createScorer(validateProfile({ weights: { rank: 0.1 } }));
    expect(on({ ...row, rank: 100 }).score).toBeCloseTo(off(row).score + 10, 6);
    const scored = await runCli(['score', '--run', 'crawl', '--data', tmp.dir, '--json', '--profile', await profileFile(tmp.dir)]);
    expect(scored.code).toBe(0);
  });

  it('refuses a run without links, naming it', async () => {
    const empty = join(tmp.dir, 'runs', 'nolinks');
    const w = await DatasetWriter.open({ runDir: empty, worker: 'w1' });
    w.append('pages', [pageRowBase('http://alone.test/')]);
    await w.publish((await w.stage(1)).shards);
    await w.close();
    const r = await runCli(['graph', '--run', 'nolinks', '--data', tmp.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('JVX_ERR_GRAPH_NO_LINKS');
    expect(r.stderr).toContain('nolinks');
  });
});

async function profileFile(dir: string): Promise<string> {
  const path = join(dir, 'rank-profile.json');
  await writeFile(path, JSON.stringify({ name: 'ranked', weights: { rank: 0.2 } }));
  return path;
}
