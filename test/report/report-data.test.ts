import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRunDatabase, type RunDatabase } from '../../src/query/index.js';
import { collectReportData, compareRuns, type ReportData, type RunFigures } from '../../src/report/index.js';
import { runPaths } from '../../src/run/index.js';
import { tempDir } from '../helpers/tmp.js';
import { T0, scoreFor, writeAllFailedRun, writeEmptyRun, writeNormalRun } from './fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
const dbs: RunDatabase[] = [];

async function dataOf(run: string, topN = 10): Promise<{ data: ReportData; db: RunDatabase }> {
  const db = await openRunDatabase(runPaths(tmp.dir, run).root);
  dbs.push(db);
  return { data: await collectReportData(db, tmp.dir, run, { topN }), db };
}

/** Nearest-rank quantile as DuckDB's quantile_disc picks it. */
const quantileDisc = (sorted: number[], q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

beforeEach(async () => {
  tmp = await tempDir('jarvix-report-');
});
afterEach(async () => {
  for (const d of dbs.splice(0)) await d.close();
  await tmp.cleanup();
});

describe('report data of a normal run', () => {
  it('summarises exactly what the pages say', async () => {
    const rows = await writeNormalRun(tmp.dir, 'n1');
    const { data } = await dataOf('n1');
    const fetched = rows.filter((r) => r.error_code === null);
    const failed = rows.filter((r) => r.error_code === 'JVX_ERR_FETCH_TIMEOUT');
    const robots = rows.filter((r) => r.error_code === 'JVX_ERR_ROBOTS_DISALLOWED');
    const answered = rows.filter((r) => r.fetch_status !== null).map((r) => r.duration_ms!).sort((a, b) => a - b);
    expect(data.summary).toMatchObject({
      attempted: rows.length,
      fetched: fetched.length,
      failed: failed.length,
      refused: robots.length,
      robotsBlocked: robots.length,
      successRate: fetched.length / (fetched.length + failed.length),
      durationMs: 60_000,
      pagesPerSecond: rows.length / 60,
      payloadBytes: fetched.reduce((n, r) => n + r.content_length!, 0),
      transferredBytes: 123_456,
      deadLetters: 2,
    });
    expect(data.summary.latencyMs.p50).toBe(quantileDisc(answered, 0.5));
    expect(data.summary.latencyMs.p95).toBe(quantileDisc(answered, 0.95));
    expect(data.summary.latencyMs.p99).toBe(quantileDisc(answered, 0.99));
    expect(data.summary.firstFetch?.getTime()).toBe(T0);
    expect(data.hostCount).toBe(3);
  });

  it('keeps fractional scores: every score lands in a bin and the top table shows them exactly', async () => {
    const rows = await writeNormalRun(tmp.dir, 'n1');
    const { data } = await dataOf('n1', 5);
    const scores = rows.filter((r) => r.score !== null).map((r) => r.score!);
    expect(data.scores.scored).toBe(scores.length);
    expect(data.scores.bins.reduce((n, b) => n + b.count, 0)).toBe(scores.length);
    const expectBins = new Array<number>(10).fill(0);
    for (const s of scores) expectBins[Math.min(9, Math.floor(s / 10))]!++;
    expect(data.scores.bins.map((b) => b.count)).toEqual(expectBins);
    expect(data.scores.min).toBe(0.25);
    expect(data.scores.max).toBe(100);
    expect(data.scores.mean).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 9);
    const top = [...rows].filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || (a.url < b.url ? -1 : 1)).slice(0, 5);
    expect(data.topPages.map((p) => [p.url, p.score])).toEqual(top.map((r) => [r.url, r.score]));
    expect(data.topPages.map((p) => p.score)).toContain(99.5);
    expect(data.actions.map((a) => a.label).slice(0, 3)).toEqual(['BUY', 'MONITOR', 'SKIP']);
    expect(data.actions.reduce((n, a) => n + a.count, 0)).toBe(scores.length);
  });

  it('builds the per-host table with errors, robots blocks, latency and the applied politeness delay', async () => {
    const rows = await writeNormalRun(tmp.dir, 'n1');
    const { data } = await dataOf('n1');
    const beta = data.hostsByPages.find((h) => h.host === 'beta.test')!;
    const betaRows = rows.filter((r) => r.url_host_name === 'beta.test');
    const betaLat = betaRows.filter((r) => r.fetch_status !== null).map((r) => r.duration_ms!);
    expect(beta).toEqual({
      host: 'beta.test',
      pages: betaRows.length,
      fetched: betaRows.filter((r) => r.error_code === null).length,
      errors: betaRows.filter((r) => r.error_code === 'JVX_ERR_FETCH_TIMEOUT').length,
      robotsBlocked: betaRows.filter((r) => r.error_code === 'JVX_ERR_ROBOTS_DISALLOWED').length,
      avgLatencyMs: betaLat.reduce((a, b) => a + b, 0) / betaLat.length,
      delayMs: 1500,
    });
    // No own entry: the run's configured default.
    expect(data.hostsByPages.find((h) => h.host === 'alpha.test')?.delayMs).toBe(250);
    expect(data.hostsByErrors.every((h) => h.errors > 0)).toBe(true);
  });

  it('groups errors by code with examples, refusals apart from failures, and dead letters by stage', async () => {
    const rows = await writeNormalRun(tmp.dir, 'n1');
    const { data } = await dataOf('n1');
    const timeout = data.errorClasses.find((e) => e.code === 'JVX_ERR_FETCH_TIMEOUT')!;
    expect(timeout.kind).toBe('failed');
    expect(timeout.count).toBe(rows.filter((r) => r.error_code === 'JVX_ERR_FETCH_TIMEOUT').length);
    expect(timeout.examples).toHaveLength(3);
    expect(timeout.examples[0]?.message).toMatch(/^timed out/);
    expect(data.errorClasses.find((e) => e.code === 'JVX_ERR_ROBOTS_DISALLOWED')?.kind).toBe('refused');
    expect(data.deadLetters.map((d) => [d.stage, d.code, d.count]).sort()).toEqual([
      ['extract', 'JVX_ERR_EXTRACT_FAILED', 1],
      ['fetch', 'JVX_ERR_FETCH_TIMEOUT', 1],
    ]);
    expect(data.alerts.some((a) => a.text.includes('stages after fetch'))).toBe(true);
  });

  it('buckets throughput over the fetch span without losing a page', async () => {
    const rows = await writeNormalRun(tmp.dir, 'n1');
    const { data } = await dataOf('n1');
    expect(data.throughput.bucketMs).toBe(1000);
    expect(data.throughput.points).toHaveLength(rows.length);
    expect(data.throughput.points.reduce((n, p) => n + p.pages, 0)).toBe(rows.length);
  });
});

describe('report data of edge runs', () => {
  it('an empty run gives zeros and nulls, never NaN', async () => {
    await writeEmptyRun(tmp.dir, 'e1');
    const { data } = await dataOf('e1');
    expect(data.summary).toMatchObject({ attempted: 0, fetched: 0, failed: 0, successRate: null, durationMs: null, pagesPerSecond: null, payloadBytes: 0 });
    expect(data.summary.latencyMs).toEqual({ p50: null, p95: null, p99: null, mean: null });
    expect(data.scores).toMatchObject({ scored: 0, min: null, mean: null, median: null });
    expect(data.throughput.points).toEqual([]);
    expect(data.topPages).toEqual([]);
    expect(data.hostsByPages).toEqual([]);
    expect(JSON.stringify(data)).not.toMatch(/NaN|Infinity/);
    expect(data.alerts.map((a) => a.level)).toContain('info');
  });

  it('a run where everything failed has a 0% success rate, no scores and a critical alert', async () => {
    const rows = await writeAllFailedRun(tmp.dir, 'f1');
    const { data } = await dataOf('f1');
    expect(data.summary).toMatchObject({ attempted: rows.length, fetched: 0, failed: rows.length, successRate: 0 });
    expect(data.summary.latencyMs.p50).toBeNull();
    expect(data.scores.scored).toBe(0);
    expect(data.errorClasses.map((e) => [e.code, e.count]).sort()).toEqual([
      ['JVX_ERR_FETCH_CONNECT', rows.length / 2],
      ['JVX_ERR_FETCH_TIMEOUT', rows.length / 2],
    ]);
    expect(data.alerts[0]?.level).toBe('critical');
  });
});

describe('comparison between runs of the same seeds', () => {
  it('counts action transitions, score movers and host changes over the shared URLs', async () => {
    const before = await writeNormalRun(tmp.dir, 'a', { pages: 40 });
    const after = await writeNormalRun(tmp.dir, 'b', { pages: 50, scoreShift: 30.5 });
    const figures = (d: ReportData, run: string): RunFigures => ({ run, runDir: runPaths(tmp.dir, run).root, summary: d.summary, scores: d.scores, actions: d.actions });
    const a = await dataOf('a');
    const b = await dataOf('b');
    const cmp = await compareRuns(b.db, figures(b.data, 'b'), figures(a.data, 'a'), 100);
    expect(cmp.urls).toEqual({ shared: 40, onlyBaseline: 0, onlyCurrent: 10 });
    const changed = before.filter((r, i) => r.score !== null && r.score !== after[i]!.score);
    expect(cmp.movers).toHaveLength(changed.length);
    expect(cmp.movers.every((m) => m.before !== null && m.after !== null && m.after > m.before)).toBe(true);
    const total = cmp.transitions.reduce((n, t) => n + t.count, 0);
    expect(total).toBe(40);
    const skipToBuy = before.filter((r, i) => r.action === 'SKIP' && after[i]!.action === 'BUY').length;
    expect(cmp.transitions.find((t) => t.from === 'SKIP' && t.to === 'BUY')?.count ?? 0).toBe(skipToBuy);
    expect(cmp.hosts.reduce((n, h) => n + (h.pagesAfter - h.pagesBefore), 0)).toBe(10);
    expect(scoreFor(10, 30.5)).toBe(Math.min(100, scoreFor(10) + 30.5));
  });
});
