import { Option, type Command } from 'commander';
import { ExitCode, addRunOptions, parseIntOption, parseRunId, reportCliError } from '../common.js';

interface ReportCliOptions {
  run?: string;
  data: string;
  pdf?: boolean;
  batch?: string[];
  compare?: string;
  top: number;
  output?: string;
  chromium: string;
  concurrency?: number;
}

const collectRunId = (value: string, previous: string[] = []): string[] => [...previous, parseRunId(value)];

/** `jarvix report --run ID [--pdf] [--batch ID...] [--compare ID]`: HTML (and PDF) reports of runs. */
export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description('self-contained HTML report of a run, and PDF through headless Chromium')
    .option('--pdf', 'also print reports/ID.pdf with headless Chromium')
    .addOption(new Option('--batch <ids...>', 'more runs to report on in one go (one browser for all PDFs); each is compared with the one before').argParser(collectRunId))
    .addOption(new Option('--compare <id>', 'compare every report with this baseline run').argParser(parseRunId))
    .option('--top <n>', 'rows of the top-pages, host and comparison tables', parseIntOption('--top', 1, 10_000), 25)
    .option('-o, --output <dir>', "write the reports here instead of each run's reports/ folder")
    .option('--chromium <path>', 'Chromium binary (Debian package chromium)', '/usr/bin/chromium')
    .option('--concurrency <n>', 'PDFs printing at once in the one browser', parseIntOption('--concurrency', 1, 64))
    .addHelpText('after', '\nExamples:\n  jarvix report --run shop --pdf\n  jarvix report --batch mon tue wed --pdf\n  jarvix report --run shop-v2 --compare shop-v1\n');
  addRunOptions(cmd, { runRequired: false }).action(async (o: ReportCliOptions) => {
    const runs = [...(o.run ? [o.run] : []), ...(o.batch ?? [])];
    if (runs.length === 0) {
      process.stderr.write('jarvix report: give a run with --run ID or --batch ID...\n');
      process.exitCode = ExitCode.usage;
      return;
    }
    try {
      // DuckDB and playwright load only when a report is made, so `jarvix --help` stays fast.
      const { generateReports } = await import('../../report/index.js');
      const result = await generateReports({
        dataDir: o.data,
        runs,
        compare: o.compare ?? null,
        pdf: o.pdf === true,
        topN: o.top,
        outDir: o.output ?? null,
        pdfOptions: { executablePath: o.chromium, ...(o.concurrency ? { concurrency: o.concurrency } : {}) },
      });
      const { damageWarning } = await import('../../collect/check/index.js');
      for (const run of runs) {
        const warning = await damageWarning({ dataDir: o.data, runId: run });
        if (warning) process.stderr.write(warning);
      }
      for (const r of result.reports) {
        process.stdout.write(`${r.html}\n`);
        if (r.pdf) process.stdout.write(`${r.pdf}\n`);
      }
      process.exitCode = ExitCode.ok;
    } catch (err) {
      process.exitCode = reportCliError(err);
    }
  });
}
