/**
 * The cost of observability on a real collect: the same collect workload (synthetic web in its own
 * process, no latency, robots and delays off: CPU-bound, the worst case) with every metric at full
 * rate and /metrics scraped every second from another process (as Prometheus would, which scrapes
 * every 15 s by default), and 10% trace sampling exported over OTLP to a receiver in another
 * process, against the same workload with observability off, alternated over rounds in one script.
 * Prints pages/s and CPU per page of both and the overhead of the medians (after one uncounted
 * warm-up pair); throws if a run did the wrong amount of work or nothing was scraped or exported.
 * bench/observe-cost.ts measures the handlers' cost alone, replaying a recorded collect.
 *   node --import tsx bench/observe-collect.ts [urls] [hosts] [rounds] [--metrics-only]
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { runCollectBench } from '../src/bench/collect-workload.js';
import { startOtlpReceiver, startScraper } from '../src/bench/observe-peers.js';
import { startObservability } from '../src/observe/index.js';

const metricsOnly = process.argv.includes('--metrics-only');
const [urls = 6_000, hosts = 600, rounds = 2] = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
const receiver = await startOtlpReceiver();
const endpoint = `${receiver.url}/v1/traces`;
// Mean desired concurrency of each run: observability's own work can hold the autoscaler back
// (event-loop lag), which costs pages/s without costing CPU per page.
let desiredSum = 0;
let desiredN = 0;
const poolStatus = (m: unknown): void => {
  desiredSum += (m as { desired: number }).desired;
  desiredN++;
};
subscribe('jarvix:pool:status', poolStatus);

interface Round {
  pagesPerSecond: number;
  cpuUsPerPage: number;
  meanDesired: number;
}

async function once(observe: boolean): Promise<Round> {
  const obs = observe
    ? await startObservability({
        serviceName: 'jarvix-bench',
        runId: 'bench',
        worker: 'w0',
        metricsPort: 0,
        env: metricsOnly ? {} : { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
      })
    : undefined;
  // Scraped from another process, as Prometheus would: the scrape client costs this process nothing.
  const scraper = obs ? await startScraper(obs.metricsUrl!, 1_000) : undefined;
  desiredSum = 0;
  desiredN = 0;
  try {
    const r = await runCollectBench({ urls, hosts, concurrency: 256, latencyMs: 0, seed: 1, extract: false, hostDelayMs: 0, robots: false });
    if (r.rows !== urls || r.failures !== 0) throw new Error(`collect wrote ${r.rows} rows for ${urls} URLs, ${r.failures} failed`);
    return { pagesPerSecond: r.pagesPerSecond, cpuUsPerPage: Math.round((r.cpuSeconds * 1e6) / urls), meanDesired: Math.round(desiredSum / Math.max(1, desiredN)) };
  } finally {
    const scraped = await scraper?.stop();
    if (scraped && scraped.scrapes === 0) throw new Error('no scrape of /metrics succeeded');
    await obs?.close();
  }
}

const off: Round[] = [];
const on: Round[] = [];
// Warm-up pair, not counted: the first collect in a process pays for module loading and JIT.
await once(false);
await once(true);
for (let i = 0; i < rounds; i++) {
  off.push(await once(false));
  on.push(await once(true));
}
unsubscribe('jarvix:pool:status', poolStatus);
const { posts } = await receiver.counts();
receiver.stop();
if (!metricsOnly && posts === 0) throw new Error('no spans reached the OTLP receiver');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const of = (rs: Round[], k: keyof Round): number[] => rs.map((r) => r[k]);
const overhead = 1 - median(of(on, 'pagesPerSecond')) / median(of(off, 'pagesPerSecond'));
const cpuOverhead = median(of(on, 'cpuUsPerPage')) / median(of(off, 'cpuUsPerPage')) - 1;
process.stdout.write(
  `${JSON.stringify({
    bench: 'observe-collect',
    tracing: !metricsOnly,
    urls,
    hosts,
    rounds,
    offPagesPerSecond: of(off, 'pagesPerSecond'),
    onPagesPerSecond: of(on, 'pagesPerSecond'),
    overheadOfMedian: Math.round(overhead * 1000) / 1000,
    offCpuUsPerPage: of(off, 'cpuUsPerPage'),
    onCpuUsPerPage: of(on, 'cpuUsPerPage'),
    cpuOverheadOfMedian: Math.round(cpuOverhead * 1000) / 1000,
    offMeanDesiredConcurrency: of(off, 'meanDesired'),
    onMeanDesiredConcurrency: of(on, 'meanDesired'),
    otlpPosts: posts,
  })}\n`,
);
