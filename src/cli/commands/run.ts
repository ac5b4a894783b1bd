import type { Command } from 'commander';
import { ExitCode } from '../common.js';
import { resumeCommand } from '../resume-command.js';
import { addCollectOptions, collectOptionsFrom, exitCodeFor, printSummary, runCollect, type CollectCli } from './collect.js';

interface RunCli extends Omit<CollectCli, 'run'> {
  run?: string;
  pdf?: boolean;
}

/** A run id for `jarvix run` without --run: `run-YYYYMMDD-HHMMSS` (UTC), sortable by time. */
export function defaultRunId(now = new Date()): string {
  return `run-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

export function register(program: Command): void {
  const cmd = program.command('run').description('collect + report in one go: fetch, archive, extract, score, then write the HTML (and PDF) report');
  addCollectOptions(cmd, { runRequired: false })
    .option('--pdf', 'also print the report to PDF through headless Chromium')
    .action(async (o: RunCli) => {
      if (!o.input) {
        process.stderr.write('jarvix run: --input FILE is required (one URL per line; - reads stdin)\n');
        process.exitCode = ExitCode.usage;
        return;
      }
      const runId = o.run ?? defaultRunId();
      // A generated id must be given back to resume: say the exact command now (a kill -9 says nothing later).
      const resume = resumeCommand(process.argv.slice(2), runId);
      if (o.run === undefined) process.stderr.write(`jarvix run: run id ${runId}; to resume it: ${resume}\n`);
      const summary = await runCollect(collectOptionsFrom({ ...o, run: runId }), { ...o, resume });
      printSummary(summary, o.json ?? false, resume);
      process.exitCode = exitCodeFor(summary);
      if (summary.interrupted || process.exitCode === ExitCode.usage) return;
      const { generateReports } = await import('../../report/index.js');
      const result = await generateReports({ dataDir: o.data, runs: [runId], pdf: o.pdf ?? false });
      for (const r of result.reports) {
        process.stderr.write(`report: ${r.html}\n`);
        if (r.pdf) process.stderr.write(`report: ${r.pdf}\n`);
      }
    });
}
