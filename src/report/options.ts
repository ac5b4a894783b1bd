import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Check, type Checks } from '../options/index.js';
import { PDF_DEFAULTS, type PdfPrinterOptions } from './pdf/options.js';

export interface ReportOptions {
  /** Folder holding runs/ (the CLI's --data). */
  dataDir: string;
  /** Runs to report on, in order; with several, each is compared with the one before it. */
  runs: string[];
  /** Baseline run every report is compared with (--compare); overrides the batch order. */
  compare: string | null;
  pdf: boolean;
  /** Rows of the top-pages, per-host and comparison tables. */
  topN: number;
  /** Where the files go; null: each run's own reports/ folder. */
  outDir: string | null;
  /** DuckDB memory limit per run database, MiB (spills past it). */
  memoryLimitMb: number;
  /** PDF printing: Chromium binary, pages printing at once, per-PDF timeout. */
  pdfOptions: Partial<PdfPrinterOptions>;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;
const runId = (v: unknown): v is string => typeof v === 'string' && RUN_ID.test(v);
const runIds: Check<string[]> = (v): v is string[] => Array.isArray(v) && v.length > 0 && v.every(runId);
const pdfOptions: Check<Partial<PdfPrinterOptions>> = (v): v is Partial<PdfPrinterOptions> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const known = Object.keys(PDF_DEFAULTS());
  return Object.keys(v).every((k) => known.includes(k));
};

const defaults = (): ReportOptions => ({ dataDir: './data', runs: [], compare: null, pdf: false, topN: 25, outDir: null, memoryLimitMb: 1024, pdfOptions: {} });

const checks: Checks<ReportOptions> = {
  dataDir: [is.nonEmptyString, 'a folder path'],
  runs: [runIds, 'a non-empty list of run ids (letters, digits, - and _)'],
  compare: [(v): v is string | null => v === null || runId(v), 'null or a run id'],
  pdf: [is.boolean, 'a boolean'],
  topN: [is.int(1, 10_000), 'an integer 1..10000'],
  outDir: [(v): v is string | null => v === null || is.nonEmptyString(v), 'null or a folder path'],
  memoryLimitMb: [is.int(64, 2 ** 31), 'an integer 64..2^31 (MiB)'],
  pdfOptions: [pdfOptions, 'an object with executablePath, concurrency, timeoutMs or format'],
};

export function resolveReportOptions(given: Partial<ReportOptions>): ReportOptions {
  const o = resolveOptions('report', defaults(), checks, given);
  // The default is an empty list so the checks above can run on a given one; no run at all is a usage error.
  if (o.runs.length === 0) throw new InvalidOptionError('report.runs', checks.runs[1], o.runs);
  return o;
}
