import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { openRunDatabase } from '../query/index.js';
import { runPaths } from '../run/index.js';
import { mapOrdered } from '../util/index.js';
import { collectReportData, summarize } from './data/collect-report-data.js';
import { compareRuns, type RunFigures } from './data/compare.js';
import { actionCounts, deadLetterCount, pageTotals, scoreStats } from './data/queries.js';
import { ReportRunNotFoundError } from './errors.js';
import { renderReportHtml } from './html/render-report.js';
import { resolveReportOptions, type ReportOptions } from './options.js';
import { PdfPrinter, type PdfPrinterStats } from './pdf/pdf-printer.js';
import { writeFileDurable } from '../fs/index.js';
import { readManifest } from '../run/index.js';

export interface ReportFiles {
  readonly run: string;
  readonly html: string;
  /** Set once the PDF is written; null without --pdf. */
  pdf: string | null;
  /** The run this report is compared with, if any. */
  readonly comparedWith: string | null;
}

export interface ReportBatchResult {
  readonly reports: readonly ReportFiles[];
  /** The one browser's figures; null when no PDF was asked for. */
  readonly printer: PdfPrinterStats | null;
}

async function ensureRun(dataDir: string, run: string): Promise<void> {
  const root = runPaths(dataDir, run).root;
  const found = await stat(root).catch(() => null);
  if (!found?.isDirectory()) throw new ReportRunNotFoundError(run, root);
}

/** The figures a comparison needs from its baseline, from the baseline's own database. */
async function baselineFigures(dataDir: string, run: string, memoryLimitMb: number): Promise<RunFigures> {
  const paths = runPaths(dataDir, run);
  const db = await openRunDatabase(paths.root, { memoryLimitMb });
  try {
    const manifest = (await readManifest(paths.manifest)) ?? null;
    return { run, runDir: paths.root, summary: summarize(await pageTotals(db), await deadLetterCount(db), manifest), scores: await scoreStats(db), actions: await actionCounts(db) };
  } finally {
    await db.close();
  }
}

/**
 * Writes `reports/ID.html` (and `.pdf`) for each run. Runs are aggregated one after another (one
 * DuckDB at a time); PDFs print in one browser while the next run aggregates, with at most
 * `concurrency` reports waiting for or in the printer. Every run must exist before anything starts.
 */
export async function generateReports(given: Partial<ReportOptions>): Promise<ReportBatchResult> {
  const o = resolveReportOptions(given);
  const runs = [...new Set(o.runs)];
  for (const run of [...runs, ...(o.compare ? [o.compare] : [])]) await ensureRun(o.dataDir, run);
  const printer = o.pdf ? await PdfPrinter.launch(o.pdfOptions) : null;
  const reports: ReportFiles[] = [];
  try {
    const fixedBaseline = o.compare ? await baselineFigures(o.dataDir, o.compare, o.memoryLimitMb) : null;
    // Runs are aggregated one after another; each rendered report goes to the printer while the
    // next run aggregates, with at most `concurrency` of them waiting for or in the printer.
    async function* rendered(): AsyncGenerator<{ files: ReportFiles; html: string }> {
      let previous: RunFigures | null = null;
      for (const run of runs) {
        const paths = runPaths(o.dataDir, run);
        const db = await openRunDatabase(paths.root, { memoryLimitMb: o.memoryLimitMb });
        let html: string;
        let figures: RunFigures;
        let comparedWith: string | null = null;
        try {
          const data = await collectReportData(db, o.dataDir, run, { topN: o.topN });
          figures = { run, runDir: paths.root, summary: data.summary, scores: data.scores, actions: data.actions };
          const base = fixedBaseline ?? previous;
          const comparison = base && base.run !== run ? await compareRuns(db, figures, base, o.topN) : null;
          comparedWith = comparison?.baseline ?? null;
          html = renderReportHtml(data, comparison);
        } finally {
          await db.close();
        }
        previous = figures;
        const dir = o.outDir === null ? paths.reportsDir : resolve(o.outDir);
        const files: ReportFiles = { run, html: join(dir, `${run}.html`), pdf: null, comparedWith };
        await writeFileDurable(files.html, html);
        yield { files, html };
      }
    }
    const printed = mapOrdered(rendered(), printer?.options.concurrency ?? 1, async ({ files, html }) => {
      if (printer) {
        const pdfPath = join(dirname(files.html), `${files.run}.pdf`);
        await printer.print(html, pdfPath, files.run);
        files.pdf = pdfPath;
      }
      return files;
    });
    for await (const files of printed) reports.push(files);
    return { reports, printer: printer?.stats ?? null };
  } finally {
    await printer?.close();
  }
}
