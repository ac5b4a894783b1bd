import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { seedUrlStream, startTestWeb, type TestWebInput } from '../../testweb/index.js';
import { parseIntOption, parseNumberOption } from '../common.js';

interface TestWebCliOptions {
  hosts: number;
  pages: number;
  port: number;
  bind: string;
  seed: number;
  latencyMs?: number;
  faults?: number;
  requisites?: boolean;
  writeSeeds?: string;
  seedCount?: number;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('testweb')
    .description('serve the synthetic web on loopback (demos, tests, benchmarks)')
    .option('--hosts <n>', 'virtual hosts site-0000.test ...', parseIntOption('--hosts', 1, 10_000), 100)
    .option('--pages <n>', 'pages per host', parseIntOption('--pages', 1, 100_000), 1000)
    .option('--port <n>', 'port to listen on (0 = any free port)', parseIntOption('--port', 0, 65_535), 0)
    .option('--bind <addr>', 'loopback address to listen on', '127.0.0.1')
    .option('--seed <n>', 'same seed, same web', parseIntOption('--seed', 0, 2 ** 32 - 1), 1)
    .option('--latency-ms <ms>', 'median time to first byte, log-normal with a heavy tail (0 = none)', parseNumberOption('--latency-ms', 0, 600_000))
    .option('--faults <rate>', 'share of pages that misbehave, spread over every fault kind', parseNumberOption('--faults', 0, 1))
    .option('--requisites', 'pages link a stylesheet, script, images, icon and font under /static/ (for --page-requisites and replay)')
    .option('--write-seeds <file>', 'write seed URLs to FILE (one per line) and keep serving')
    .option('--seed-count <k>', 'how many seed URLs --write-seeds writes', parseIntOption('--seed-count', 1, 1_000_000_000))
    .option('--json', 'print the address as one JSON line (for scripts)')
    .action(async (o: TestWebCliOptions) => {
      const options: TestWebInput = { hosts: o.hosts, pagesPerHost: o.pages, port: o.port, host: o.bind, seed: o.seed };
      if (o.latencyMs !== undefined) options.latency = o.latencyMs === 0 ? { kind: 'none' } : { kind: 'lognormal', medianMs: o.latencyMs };
      if (o.faults !== undefined) options.faults = o.faults;
      if (o.requisites) options.requisites = true;
      const web = await startTestWeb(options);
      const origin = `http://${web.address.includes(':') ? `[${web.address}]` : web.address}:${web.port}`;
      let seedsWritten = 0;
      if (o.writeSeeds) seedsWritten = await writeSeeds(o.writeSeeds, seedUrlStream(web.model, o.seedCount ?? o.hosts * Math.min(o.pages, 10)));
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ address: web.address, port: web.port, resolve: web.resolveRule, hosts: o.hosts, pagesPerHost: o.pages, seed: o.seed, seedsWritten, seedsFile: o.writeSeeds ?? null })}\n`);
      } else {
        process.stdout.write(
          [
            `jarvix testweb: ${o.hosts} hosts x ${o.pages} pages (seed ${o.seed}) on ${origin}`,
            `  try:     curl --resolve site-0000.test:${web.port}:${web.address} http://site-0000.test:${web.port}/`,
            `  jarvix:  --resolve '${web.resolveRule}' --allow-private`,
            ...(o.writeSeeds ? [`  seeds:   ${seedsWritten} URLs in ${o.writeSeeds}`] : []),
            '  Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
      }
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      const summary = web.record.summary();
      await web.close();
      const hosts = Object.keys(summary.hosts).length;
      if (o.json) {
        const cpu = process.cpuUsage();
        const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
        process.stdout.write(`${JSON.stringify({ served: summary.totalRequests, hosts, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB })}\n`);
      } else {
        process.stderr.write(`jarvix testweb: served ${summary.totalRequests} requests to ${hosts} hosts\n`);
      }
    });
}

async function writeSeeds(path: string, urls: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  let n = 0;
  for (const url of urls) {
    n++;
    if (!out.write(`${url}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}
