import type { Command } from 'commander';
import { parseIntOption, parseNumberOption, ExitCode } from '../common.js';

interface BenchCliOptions {
  urls: number;
  hosts: number;
  concurrent: number;
  latencyMs: number;
  seed: number;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('run the pipeline against the built-in synthetic web; print throughput, latency percentiles and memory')
    .option('--urls <n>', 'URLs to fetch', parseIntOption('--urls', 1, 100_000_000), 10_000)
    .option('--hosts <n>', 'synthetic hosts the URLs spread over', parseIntOption('--hosts', 1, 10_000), 1_000)
    .option('--concurrent <n>', 'requests in flight', parseIntOption('--concurrent', 1, 10_000), 100)
    .option('--latency-ms <ms>', 'median server latency (0 = none: raw throughput)', parseNumberOption('--latency-ms', 0, 60_000), 0)
    .option('--seed <n>', 'synthetic web seed', parseIntOption('--seed', 0, 2 ** 32 - 1), 1)
    .option('--json', 'print JSON instead of a table')
    .action(async (o: BenchCliOptions) => {
      const { runBaseline, formatTable } = await import('../../bench/baseline.js');
      const result = await runBaseline({ urls: o.urls, hosts: o.hosts, concurrency: o.concurrent, latencyMs: o.latencyMs, seed: o.seed });
      // A benchmark that did the wrong amount of work must not report a speed.
      const problems: string[] = [];
      if (result.pages !== o.urls) problems.push(`fetched ${result.pages} pages of ${o.urls} (${result.failures} failed)`);
      if (result.server.served !== o.urls) problems.push(`server saw ${result.server.served} requests, expected ${o.urls}`);
      process.stdout.write(o.json ? `${JSON.stringify({ ...result, ok: problems.length === 0, problems })}\n` : `${formatTable([result])}\n`);
      if (problems.length > 0) {
        process.stderr.write(`jarvix bench: check failed: ${problems.join('; ')}\n`);
        process.exitCode = ExitCode.failed;
      }
    });
}
