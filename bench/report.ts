/**
 * `jarvix report` throughput and scale.
 *   node --import tsx bench/report.ts          (JARVIX_BENCH_PAGES=1000000, JARVIX_BENCH_RUNS=50)
 * 1. Batch: PDFs/s for RUNS small runs in one `generateReports --batch --pdf` (one browser, a pool of
 *    pages), against the seed's way, a browser launched per PDF, for a few runs in the same script.
 * 2. Scale: wall time and peak RSS of the report process (HTML + PDF) for a PAGES-page run whose
 *    Parquet shards are written by the real DatasetWriter. The report runs in a child process so its
 *    peak RSS is its own (Chromium's memory is a separate process and not included).
 * Checks its own output: every PDF exists, starts with %PDF and has pages; counts in the 1M report
 * match what was written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatasetWriter, pageRowBase, type PageRow } from '../src/dataset/index.js';
import { generateReports } from '../src/report/index.js';
import { newManifest, runPaths, writeManifest } from '../src/run/index.js';

const T0 = Date.UTC(2025, 0, 1);
const ACTIONS = ['BUY', 'MONITOR', 'SKIP'] as const;

function page(i: number, hosts: number): PageRow {
  const base = pageRowBase(`https://site-${i % hosts}.test/p/${i}`);
  const fetch_time = T0 + Math.floor(i / 50) * 1000;
  if (i % 20 === 19) return { ...base, fetch_time, attempts: 3, duration_ms: 30_000, error_code: 'JVX_ERR_FETCH_TIMEOUT', error_message: 'timed out' };
  if (i % 50 === 7) return { ...base, fetch_time, attempts: 0, error_code: 'JVX_ERR_ROBOTS_DISALLOWED', error_message: 'disallowed' };
  const score = ((i * 7919) % 10_000) / 100;
  return {
    ...base,
    fetch_time,
    fetch_status: i % 31 === 0 ? 404 : 200,
    content_length: 5000 + (i % 1000),
    duration_ms: 20 + (i % 500),
    attempts: 1,
    title: `Product ${i} of site ${i % hosts}`,
    score,
    action: ACTIONS[score >= 70 ? 0 : score >= 40 ? 1 : 2],
    confidence: 0.5 + (i % 50) / 100,
    reason: 'synthetic',
  };
}

async function writeRun(dataDir: string, run: string, pages: number, hosts: number): Promise<{ fetched: number }> {
  const paths = runPaths(dataDir, run);
  const w = await DatasetWriter.open({ runDir: paths.root, worker: 'w1' });
  let fetched = 0;
  try {
    const perCheckpoint = 50_000;
    for (let from = 0, seq = 1; from < pages; from += perCheckpoint, seq++) {
      const rows: PageRow[] = [];
      for (let i = from; i < Math.min(pages, from + perCheckpoint); i++) {
        const r = page(i, hosts);
        if (r.error_code === null) fetched++;
        rows.push(r);
      }
      w.append('pages', rows);
      const { shards } = await w.stage(seq);
      await w.publish(shards);
    }
  } finally {
    await w.close();
  }
  const m = newManifest(run, { hostDelayMs: 250 });
  await writeManifest(paths.manifest, { ...m, status: 'finished', sessions: [{ startedAt: new Date(T0).toISOString(), finishedAt: new Date(T0 + pages * 20).toISOString(), host: 'bench', pid: 1, worker: 'w1', outcome: 'finished' }] });
  return { fetched };
}

function pdfPages(path: string): number {
  try {
    return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function checkPdf(path: string | null): Promise<number> {
  if (path === null) throw new Error('a report has no PDF');
  const head = (await readFile(path)).subarray(0, 5).toString('latin1');
  if (head !== '%PDF-') throw new Error(`${path} is not a PDF`);
  const n = pdfPages(path);
  if (!(n > 0)) throw new Error(`${path} has no pages`);
  return n;
}

/** Child mode: one report of one run, then its own peak RSS. */
async function child(dataDir: string, run: string): Promise<void> {
  const started = performance.now();
  const { reports } = await generateReports({ dataDir, runs: [run], pdf: true });
  const ms = performance.now() - started;
  const html = await readFile(reports[0]!.html, 'utf8');
  process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, html: reports[0]!.html, pdf: reports[0]!.pdf, htmlBytes: html.length })}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv[4]!);
  const runs = Number(process.env.JARVIX_BENCH_RUNS ?? 50);
  const baselineRuns = 5;
  const bigPages = Number(process.env.JARVIX_BENCH_PAGES ?? 1_000_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'jarvix-bench-report-'));
  try {
    const ids = Array.from({ length: runs }, (_, i) => `small-${i}`);
    for (const id of ids) await writeRun(dataDir, id, 300, 12);

    // Batch: one browser, a pool of pages.
    let t = performance.now();
    const batch = await generateReports({ dataDir, runs: ids, pdf: true, outDir: join(dataDir, 'out-batch') });
    const batchMs = performance.now() - t;
    let batchPages = 0;
    for (const r of batch.reports) batchPages += await checkPdf(r.pdf);
    if (batch.reports.length !== runs || batch.printer?.browserLaunches !== 1 || batch.printer.printed !== runs) throw new Error('batch printed the wrong number of PDFs');

    // Baseline: the seed's way, a browser launched for every PDF.
    t = performance.now();
    for (const id of ids.slice(0, baselineRuns)) {
      const one = await generateReports({ dataDir, runs: [id], pdf: true, outDir: join(dataDir, 'out-single') });
      await checkPdf(one.reports[0]!.pdf);
    }
    const baselineMs = performance.now() - t;

    // Scale: a big run, reported in a child process.
    t = performance.now();
    const { fetched } = await writeRun(dataDir, 'big', bigPages, 5000);
    const synthMs = performance.now() - t;
    const res = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dataDir, 'big'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (res.status !== 0) throw new Error(`report of the big run failed (exit ${res.status})`);
    const big = JSON.parse(res.stdout.trim().split('\n').pop()!) as { ms: number; maxRssMb: number; html: string; pdf: string; htmlBytes: number };
    const bigPdfPages = await checkPdf(big.pdf);
    const bigHtml = await readFile(big.html, 'utf8');
    const fmt = (n: number): string => n.toLocaleString('en-US');
    if (!bigHtml.includes(`<b>${fmt(bigPages)}</b>`) || !bigHtml.includes(`<b>${fmt(fetched)}</b>`)) throw new Error('big report does not show the written page counts');

    const batchPdfsPerSecond = runs / (batchMs / 1000);
    const baselinePdfsPerSecond = baselineRuns / (baselineMs / 1000);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'report',
        batch: { runs, ms: Math.round(batchMs), pdfsPerSecond: +batchPdfsPerSecond.toFixed(2), pdfPages: batchPages, pagesOpened: batch.printer.pagesOpened },
        baselineBrowserPerPdf: { runs: baselineRuns, ms: Math.round(baselineMs), pdfsPerSecond: +baselinePdfsPerSecond.toFixed(2) },
        speedup: +(batchPdfsPerSecond / baselinePdfsPerSecond).toFixed(2),
        bigRun: { pages: bigPages, synthesizeMs: Math.round(synthMs), reportMs: Math.round(big.ms), reportPeakRssMb: Math.round(big.maxRssMb), htmlBytes: big.htmlBytes, pdfPages: bigPdfPages },
      })}\n`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
