import type { Command } from 'commander';
import { addRunOptions, ExitCode, reportCliError } from '../common.js';

interface CheckCli {
  run: string;
  data: string;
  redis?: string;
  quick?: boolean;
  json?: boolean;
}

/**
 * `jarvix check --run ID [--quick] [--json]`. Exit 0: whole; 3: damaged (problems listed, and
 * `collect --repair` heals them); 1: could not check (no such run); 2: bad usage. docs/check.md.
 */
export function register(program: Command): void {
  const cmd = program
    .command('check')
    .description('integrity of a run: committed shards exist and read, every WARC pointer of pages is a whole record, indexes match the WARCs')
    .option('--quick', 'listings and sizes only (what status, report and a resumed collect run)')
    .option('--redis <url>', "the run's Redis (a scale-out run); without it, the run folder's state.sqlite")
    .option('--json', 'print the report as one JSON object on stdout');
  addRunOptions(cmd).action(async (o: CheckCli) => {
    try {
      const { checkRun } = await import('../../collect/check/index.js');
      let last = 0;
      const onProgress = (phase: string, done: number, total: number): void => {
        const now = Date.now();
        if (now - last < 1000 && done < total) return;
        last = now;
        process.stderr.write(`jarvix check: ${phase} ${done}/${total}\n`);
      };
      const report = await checkRun({ dataDir: o.data, runId: o.run, redis: o.redis, depth: o.quick ? 'cheap' : 'full', onProgress });
      if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        const f = report.figures;
        const read = report.depth === 'full' ? `; read ${f.shards} shards (${f.rows} rows), ${f.pointers} WARC pointers, ${f.warcs} WARC files (${f.indexEntries} index entries)` : '';
        process.stdout.write(`run ${report.run}: ${report.ok ? 'whole' : `${report.problemCount} problem(s)`} (${report.depth} check of ${f.committedShards} committed shards, ${f.workers} worker(s)${read})\n`);
        for (const p of report.problems) process.stdout.write(`  ${p.file}: ${p.url ? `${p.url}: ` : ''}${p.detail} [${p.code}]\n`);
        if (!report.ok) process.stdout.write(`fix: jarvix collect --run ${report.run} --repair  (re-fetches exactly the URLs whose rows or records are lost)\n`);
      }
      process.exitCode = report.ok ? ExitCode.ok : ExitCode.partial;
    } catch (err) {
      process.exitCode = reportCliError(err);
    }
  });
}
