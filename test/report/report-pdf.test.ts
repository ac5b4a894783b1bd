import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReports, PdfPrinter, type ReportBatchResult } from '../../src/report/index.js';
import { tempDir } from '../helpers/tmp.js';
import { HOSTILE_TITLE, writeAllFailedRun, writeEmptyRun, writeNormalRun } from './fixtures.js';
import { CHROMIUM, PDFINFO, PDFTOTEXT, missingTool } from './tools.js';

const run = promisify(execFile);
const missing = missingTool(CHROMIUM, 'chromium') ?? missingTool(PDFTOTEXT, 'poppler-utils');

// -raw keeps each table cell's lines together (-layout interleaves neighbouring cells).
const pdfText = async (path: string): Promise<string> => (await run(PDFTOTEXT, ['-raw', path, '-'])).stdout;
const pdfPages = async (path: string): Promise<number> => Number(/^Pages:\s+(\d+)/m.exec((await run(PDFINFO, [path])).stdout)?.[1]);
const squash = (s: string): string => s.replace(/\s+/g, '');

describe.skipIf(missing !== null)('PDF reports through headless Chromium', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let result: ReportBatchResult;
  const text: Record<string, string> = {};
  const pages: Record<string, number> = {};

  beforeAll(async () => {
    tmp = await tempDir('jarvix-report-pdf-');
    await writeNormalRun(tmp.dir, 'n1');
    await writeEmptyRun(tmp.dir, 'e1');
    await writeAllFailedRun(tmp.dir, 'f1');
    await writeNormalRun(tmp.dir, 'n2', { pages: 30 });
    await writeNormalRun(tmp.dir, 'n3', { pages: 20 });
    result = await generateReports({ dataDir: tmp.dir, runs: ['n1', 'e1', 'f1', 'n2', 'n3'], pdf: true, topN: 100, pdfOptions: { concurrency: 2 } });
    for (const r of result.reports) {
      text[r.run] = await pdfText(r.pdf!);
      pages[r.run] = await pdfPages(r.pdf!);
    }
  });
  afterAll(async () => {
    await tmp?.cleanup();
  });

  it('prints a whole batch with one browser and a bounded pool of pages', async () => {
    expect(result.printer).toEqual({ browserLaunches: 1, pagesOpened: 2, printed: 5, blockedRequests: 0 });
    for (const r of result.reports) expect((await stat(r.pdf!)).size, r.run).toBeGreaterThan(1000);
  });

  it('has a cover page, then the report, with page numbers on every page', () => {
    for (const [id, t] of Object.entries(text)) {
      expect(pages[id], id).toBeGreaterThanOrEqual(2);
      const coverPage = t.split('\f')[0]!;
      expect(coverPage, id).toContain(`Run ${id}`);
      expect(coverPage, id).toContain('JARVIX RUN REPORT');
      expect(coverPage, id).not.toContain('Summary');
      for (let p = 1; p <= pages[id]!; p++) expect(t, id).toContain(`Page ${p} of ${pages[id]}`);
    }
  });

  it('is correct for normal, empty and all-failed runs (no NaN, exact scores, literal hostile title)', () => {
    for (const t of Object.values(text)) expect(t).not.toMatch(/NaN|Infinity|undefined/);
    expect(text.n1).toContain('99.5');
    expect(text.n1).toContain('0.25');
    expect(squash(text.n1!)).toContain(squash(HOSTILE_TITLE));
    expect(text.e1).toContain('no data');
    expect(text.e1).toContain('No scored pages.');
    expect(text.f1).toContain('0.0%');
    expect(text.f1).toContain('JVX_ERR_FETCH_TIMEOUT');
  });

  it('names the missing package when Chromium is not where it is looked for', async () => {
    const err = await PdfPrinter.launch({ executablePath: '/nonexistent/chromium' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'JVX_ERR_REPORT_BROWSER_MISSING', executablePath: '/nonexistent/chromium', packageName: 'chromium' });
  });
});
