/**
 * The cost of observability on a real collect: the same collect workload (synthetic web in its own
 * process, no latency, robots and delays off so the machinery is what is measured) with metrics
 * scraped every second and 10% trace sampling exported over OTLP to a receiver on loopback, against
 * the same workload with observability off, alternated over rounds in one script. Prints pages/s of
 * both and the overhead; throws if a run did the wrong amount of work.
 *   node --import tsx bench/observe-collect.ts [urls] [hosts] [rounds] [--metrics-only]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCollectBench } from '../src/bench/collect-workload.js';
import { startObservability } from '../src/observe/index.js';

const metricsOnly = process.argv.includes('--metrics-only');
const [urls = 6_000, hosts = 600, rounds = 2] = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
let spansPosted = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    spansPosted++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;

async function once(observe: boolean): Promise<number> {
  const obs = observe
    ? await startObservability({
        serviceName: 'jarvix-bench',
        runId: 'bench',
        worker: 'w0',
        metricsPort: 0,
        env: metricsOnly ? {} : { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
      })
    : undefined;
  const scrape = obs ? setInterval(() => void fetch(obs.metricsUrl!).then((r) => r.text()), 1_000) : undefined;
  try {
    const r = await runCollectBench({ urls, hosts, concurrency: 256, latencyMs: 0, seed: 1, extract: false, hostDelayMs: 0, robots: false });
    if (r.rows !== urls || r.failures !== 0) throw new Error(`collect wrote ${r.rows} rows for ${urls} URLs, ${r.failures} failed`);
    return r.pagesPerSecond;
  } finally {
    clearInterval(scrape);
    await obs?.close();
  }
}

const off: number[] = [];
const on: number[] = [];
for (let i = 0; i < rounds; i++) {
  off.push(await once(false));
  on.push(await once(true));
}
receiver.close();
if (!metricsOnly && spansPosted === 0) throw new Error('no spans reached the OTLP receiver');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const overhead = 1 - median(on) / median(off);
process.stdout.write(`${JSON.stringify({ bench: 'observe-collect', tracing: !metricsOnly, urls, hosts, rounds, offPagesPerSecond: off, onPagesPerSecond: on, overheadOfMedian: Math.round(overhead * 1000) / 1000, otlpPosts: spansPosted })}\n`);
