import type { Command } from 'commander';
import type { BenchResult } from '../../bench/baseline.js';
import type { PolitenessFloor } from '../../bench/politeness-floor.js';
import { parseIntOption, parseNumberOption, ExitCode } from '../common.js';

interface BenchCliOptions {
  urls: number;
  hosts: number;
  concurrent: number;
  latencyMs: number;
  seed: number;
  workload: string;
  delayMs?: number;
  robots: boolean;
  json?: boolean;
}

const WORKLOADS = ['baseline', 'collect', 'collect+extract'] as const;

export function register(program: Command): void {
  program
    .command('bench')
    .description('run the pipeline against the built-in synthetic web; print throughput, latency percentiles and memory')
    .option('--urls <n>', 'URLs to fetch', parseIntOption('--urls', 1, 100_000_000), 10_000)
    .option('--hosts <n>', 'synthetic hosts the URLs spread over', parseIntOption('--hosts', 1, 10_000), 1_000)
    .option('--concurrent <n>', 'requests in flight (baseline) / the ceiling (collect)', parseIntOption('--concurrent', 1, 10_000), 256)
    .option('--latency-ms <ms>', 'median server latency (0 = none: raw throughput)', parseNumberOption('--latency-ms', 0, 60_000), 0)
    .option('--workload <list>', `comma-separated: ${WORKLOADS.join(', ')}`, 'baseline,collect')
    .option('--delay-ms <ms>', 'per-host delay for collect (default: collect’s own, politeness on)', parseIntOption('--delay-ms', 0, 600_000))
    .option('--no-robots', 'collect ignores robots.txt (and its Crawl-delay): measures the machinery, not politeness')
    .option('--seed <n>', 'synthetic web seed', parseIntOption('--seed', 0, 2 ** 32 - 1), 1)
    .option('--json', 'print JSON lines instead of a table')
    .action(async (o: BenchCliOptions) => {
      const workloads = o.workload.split(',').map((w) => w.trim());
      const unknown = workloads.filter((w) => !(WORKLOADS as readonly string[]).includes(w));
      if (unknown.length > 0) {
        process.stderr.write(`jarvix bench: --workload: unknown ${unknown.join(', ')} (known: ${WORKLOADS.join(', ')})\n`);
        process.exitCode = ExitCode.usage;
        return;
      }
      const { runBaseline, formatTable } = await import('../../bench/baseline.js');
      const { runCollectBench } = await import('../../bench/collect-workload.js');
      const base = { urls: o.urls, hosts: o.hosts, concurrency: o.concurrent, latencyMs: o.latencyMs, seed: o.seed };
      const results: (BenchResult & { ok: boolean; problems: string[]; ratioToBaseline?: number; floor?: PolitenessFloor })[] = [];
      for (const w of workloads) {
        const r: BenchResult & { rows?: number; floor?: PolitenessFloor } =
          w === 'baseline' ? await runBaseline(base) : await runCollectBench({ ...base, extract: w === 'collect+extract', hostDelayMs: o.delayMs, robots: o.robots });
        // A benchmark that did the wrong amount of work must not report a speed.
        const problems: string[] = [];
        if (w === 'baseline' && r.pages !== o.urls) problems.push(`fetched ${r.pages} pages of ${o.urls} (${r.failures} failed)`);
        if (w === 'baseline' && r.server.served !== o.urls) problems.push(`server saw ${r.server.served} requests, expected ${o.urls}`);
        if (w !== 'baseline' && r.rows !== o.urls) problems.push(`the dataset holds ${r.rows} pages rows, expected one per URL: ${o.urls}`);
        if (w !== 'baseline' && r.failures > 0) problems.push(`${r.failures} URLs failed on a web without faults`);
        results.push({ ...r, ok: problems.length === 0, problems });
      }
      const baseline = results.find((r) => r.workload === 'baseline');
      if (baseline) for (const r of results) r.ratioToBaseline = Math.round((r.pagesPerSecond / baseline.pagesPerSecond) * 1000) / 1000;
      if (o.json) for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
      else {
        process.stdout.write(`${formatTable(results)}\n`);
        if (baseline) process.stdout.write(`${'ratio to baseline'.padEnd(25)}${results.map((r) => `${r.ratioToBaseline}x`).join('  ')}\n`);
        for (const r of results) if (r.floor && r.floor.seconds > 0) process.stdout.write(`${floorLine(r.workload, r.seconds, r.floor)}\n`);
      }
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) {
        process.stderr.write(`jarvix bench: check failed: ${failed.flatMap((r) => r.problems.map((p) => `${r.workload}: ${p}`)).join('; ')}\n`);
        process.exitCode = ExitCode.failed;
      }
    });
}

/**
 * What politeness alone allows: the slowest host's requests one after another, with the server's
 * planned latencies and the gaps. A run close to it is bound by politeness, not by the machinery.
 */
function floorLine(workload: string, seconds: number, f: PolitenessFloor): string {
  return (
    `${workload}: ${seconds.toFixed(1)} s against a politeness floor of ${f.seconds.toFixed(1)} s (${(seconds / f.seconds).toFixed(2)}x): ` +
    `${f.host} needs ${f.requests} requests in a row, ${f.latencySeconds.toFixed(1)} s of server latency + ${f.gapSeconds.toFixed(1)} s of politeness gaps`
  );
}
