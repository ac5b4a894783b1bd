import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReports, type ReportBatchResult } from '../../src/report/index.js';
import { runPaths } from '../../src/run/index.js';
import { tempDir } from '../helpers/tmp.js';
import { HOSTILE_TITLE, writeAllFailedRun, writeEmptyRun, writeNormalRun } from './fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let result: ReportBatchResult;
const html: Record<string, string> = {};

beforeAll(async () => {
  tmp = await tempDir('jarvix-report-html-');
  await writeNormalRun(tmp.dir, 'base', { pages: 40 });
  await writeNormalRun(tmp.dir, 'n1', { scoreShift: 30.5 });
  await writeEmptyRun(tmp.dir, 'e1');
  await writeAllFailedRun(tmp.dir, 'f1');
  result = await generateReports({ dataDir: tmp.dir, runs: ['base', 'n1', 'e1', 'f1'], topN: 100 });
  for (const r of result.reports) html[r.run] = await readFile(r.html, 'utf8');
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('HTML report', () => {
  it("writes reports/ID.html in each run's folder; a batch compares each run with the one before", () => {
    expect(result.reports.map((r) => [r.run, r.html, r.pdf, r.comparedWith])).toEqual([
      ['base', join(runPaths(tmp.dir, 'base').reportsDir, 'base.html'), null, null],
      ['n1', join(runPaths(tmp.dir, 'n1').reportsDir, 'n1.html'), null, 'base'],
      ['e1', join(runPaths(tmp.dir, 'e1').reportsDir, 'e1.html'), null, 'n1'],
      ['f1', join(runPaths(tmp.dir, 'f1').reportsDir, 'f1.html'), null, 'e1'],
    ]);
    expect(result.printer).toBeNull();
  });

  it('never prints NaN, Infinity or undefined, for normal, empty and all-failed runs', () => {
    for (const [run, text] of Object.entries(html)) {
      expect(text, run).not.toMatch(/NaN|Infinity|undefined|\[object /);
      expect(text, run).toContain(`<h1>Run ${run}</h1>`);
    }
    expect(html.e1).toContain('no data');
    expect(html.e1).toContain('No scored pages.');
    expect(html.f1).toContain('0.0%');
    expect(html.f1).toContain('JVX_ERR_FETCH_CONNECT');
  });

  it('is self-contained: no script, no external resource, a CSP that forbids both', () => {
    for (const text of Object.values(html)) {
      expect(text).not.toMatch(/<script|<link|<iframe|<img|<object|<embed|<[^>]*\ssrc=|url\(/i);
      expect(text).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
      expect(text).toContain('<meta name="viewport"');
      expect(text).toContain('@media print');
    }
  });

  it('escapes a hostile title everywhere it appears', () => {
    const escaped = '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
    expect(html.n1).toContain(escaped);
    expect(html.n1).not.toContain(HOSTILE_TITLE);
    expect(html.n1).not.toContain('<script>');
    // A message with markup from the run is text too.
    expect(html.n1).toContain('timed out &lt;b&gt;');
  });

  it('shows fractional scores exactly, in the table and in the chart', () => {
    expect(html.n1).toMatch(/<td class="num">99\.5<\/td>/);
    expect(html.n1).toMatch(/<td class="num">0\.25<\/td>/);
    expect(html.n1).toContain('min 0.25');
    expect(html.n1).toMatch(/<svg class="chart"[^>]*><title>Pages per score range<\/title>/);
  });

  it('holds the sections the issue asks for, and the comparison in a batch', () => {
    for (const id of ['summary', 'alerts', 'charts', 'top', 'hosts', 'errors', 'config']) expect(html.n1).toContain(`<section id="${id}">`);
    expect(html.n1).toContain('<section id="comparison"><h2>Compared with run base</h2>');
    expect(html.n1).toContain('40 URLs in both runs');
    expect(html.base).not.toContain('id="comparison"');
    for (const label of ['Latency p99', 'Robots-blocked', 'Politeness delay', 'Dead letters by stage', 'Throughput over time', 'Top hosts by errors']) expect(html.n1).toContain(label);
    expect(html.n1).toContain('1.50 s'); // beta.test's raised delay
  });
});
