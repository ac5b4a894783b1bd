import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { JarvixError, errorMessage } from '../../errors/index.js';
import { isLoopbackAddress } from '../../net/index.js';
import { seedUrlStream, startTestWeb, type TestWebInput } from '../../testweb/index.js';
import { parseIntOption, parseNumberOption } from '../common.js';

function parseBind(value: string): string {
  if (value === 'localhost' || isLoopbackAddress(value)) return value;
  throw new InvalidArgumentError(`--bind expects a loopback address (127.0.0.1, ::1, localhost), got ${JSON.stringify(value)}: the synthetic web serves anyone who connects`);
}

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
    .option('--bind <addr>', 'loopback address to listen on', parseBind, '127.0.0.1')
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
      // Opened before the server starts: a bad path fails alone, and leaves nothing listening.
      const seedsOut = o.writeSeeds === undefined ? undefined : await openSeeds(o.writeSeeds);
      let web;
      try {
        web = await startTestWeb(options);
      } catch (err) {
        seedsOut?.destroy();
        throw err;
      }
      const origin = `http://${web.address.includes(':') ? `[${web.address}]` : web.address}:${web.port}`;
      let seedsWritten = 0;
      if (seedsOut) {
        try {
          seedsWritten = await writeSeeds(seedsOut, seedUrlStream(web.model, o.seedCount ?? o.hosts * Math.min(o.pages, 10)));
        } catch (err) {
          await web.close();
          throw seedsError(seedsOut.path.toString(), err);
        }
      }
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

const seedsError = (path: string, err: unknown): JarvixError =>
  new JarvixError('JVX_ERR_USAGE_SEEDS_FILE', `--write-seeds: cannot write ${path}: ${errorMessage(err)}`, { cause: err });

async function openSeeds(path: string): Promise<WriteStream> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open'); // rejects with ENOENT, EACCES, EISDIR
    return out;
  } catch (err) {
    throw seedsError(path, err);
  }
}

async function writeSeeds(out: WriteStream, urls: Iterable<string>): Promise<number> {
  let n = 0;
  const lines = function* (): Generator<string> {
    for (const url of urls) {
      n++;
      yield `${url}\n`;
    }
  };
  // pipeline: a write error (disk full) rejects here instead of leaving a 'drain' wait forever.
  await pipeline(Readable.from(lines()), out);
  return n;
}
