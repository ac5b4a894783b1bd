/**
 * Cost of observability on the fetch path: the same fetch workload (createFetcher against the
 * synthetic web in its own process, bodies read and dropped) with observe/ off and on — Prometheus
 * metrics at full rate, scraped during the run; traces sampled at 10% and exported over OTLP/HTTP
 * to a receiver in another process — alternating so neither always gets the cooler machine. The
 * bare fetch loop is the worst case: a collect adds archive, parse and disk work that dilutes it.
 *   node --import tsx bench/observe.ts [--urls 20000] [--hosts 200] [--concurrency 64] [--latency-ms 0] [--rounds 5] [--sample 0.1]
 * Prints one JSON object. Throws if a run fetched the wrong number of pages, if the metrics do
 * not count every fetch, or if no span reached the receiver.
 */
import { startOtlpReceiver as startReceiver } from '../src/bench/observe-peers.js';
import { startTestWebProcess } from '../src/bench/testweb-process.js';
import { createFetcher } from '../src/fetch/index.js';
import { createAgent, parseResolveRule } from '../src/net/index.js';
import { startObservability } from '../src/observe/index.js';
import { seedUrlStream } from '../src/testweb/index.js';
import { WebModel } from '../src/testweb/model.js';
import { resolveTestWebOptions } from '../src/testweb/options.js';
import { numberArg } from '../src/bench/args.js';

const arg = numberArg;
const urls = arg('urls', 20_000);
const hosts = arg('hosts', 200);
const concurrency = arg('concurrency', 64);
const latencyMs = arg('latency-ms', 0);
const rounds = arg('rounds', 5);
const sample = arg('sample', 0.1);

const pagesPerHost = Math.ceil(urls / hosts);
const server = await startTestWebProcess({ hosts, pagesPerHost, latencyMs, faults: 0, seed: 7 });
const urlList = [...seedUrlStream(new WebModel(resolveTestWebOptions({ hosts, pagesPerHost, seed: 7 })), urls)];
const agent = createAgent({ resolve: [parseResolveRule(server.resolveRule)], allowPrivate: true, connectionsPerOrigin: 2 });
const fetcher = createFetcher(agent, { userAgent: 'jarvix-bench', headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, totalTimeoutMs: 30_000, maxBodyBytes: 10 * 1024 * 1024 });

/** Every URL once, `concurrency` at a time; returns pages/s and checks each answer. */
async function workload(): Promise<{ pagesPerSecond: number; pages: number; cpuUsPerPage: number }> {
  let next = 0;
  let pages = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urlList.length) {
        const res = await fetcher.fetch(urlList[next++]!);
        if (res.status === null || res.error || res.exchanges.length === 0) throw new Error(`bad fetch ${res.url}: ${res.status} ${res.error?.code}`);
        pages++;
        for (const ex of res.exchanges) await ex.body.dispose();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (pages !== urls) throw new Error(`${pages} pages fetched for ${urls} URLs`);
  // CPU per page as well: on a shared machine it is steadier than wall-clock pages/s.
  return { pagesPerSecond: Math.round((pages / seconds) * 10) / 10, pages, cpuUsPerPage: Math.round((cpu.user + cpu.system) / pages) };
}

async function runOff(): Promise<{ pagesPerSecond: number; cpuUsPerPage: number }> {
  return workload();
}

async function runOn(receiverUrl: string): Promise<{ pagesPerSecond: number; cpuUsPerPage: number; fetches: number; scrapes: number }> {
  const obs = await startObservability({
    serviceName: 'jarvix-bench',
    runId: 'bench',
    worker: 'w0',
    metricsPort: 0,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(sample) },
  });
  // Scrape as Prometheus would, only faster (every 250 ms), so rendering is part of the cost.
  let scrapes = 0;
  const timer = setInterval(() => {
    // A scrape cut short by close() at the end of the run is not an error of the workload.
    void fetch(obs.metricsUrl!).then((res) => res.text()).then(() => scrapes++, () => {});
  }, 250);
  try {
    const r = await workload();
    const text = await (await fetch(obs.metricsUrl!)).text();
    const fetches = [...text.matchAll(/^jarvix_fetches_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    if (fetches !== r.pages) throw new Error(`on: metrics counted ${fetches} fetches for ${r.pages} pages`);
    return { pagesPerSecond: r.pagesPerSecond, cpuUsPerPage: r.cpuUsPerPage, fetches, scrapes };
  } finally {
    clearInterval(timer);
    await obs.close();
  }
}

const receiver = await startReceiver();
try {
  const off: number[] = [];
  const on: number[] = [];
  const offCpu: number[] = [];
  const onCpu: number[] = [];
  let last = { fetches: 0, scrapes: 0 };
  await runOff(); // warm-up: JIT, connections
  for (let i = 0; i < rounds; i++) {
    const o = await runOff();
    off.push(o.pagesPerSecond);
    offCpu.push(o.cpuUsPerPage);
    const r = await runOn(receiver.url);
    on.push(r.pagesPerSecond);
    onCpu.push(r.cpuUsPerPage);
    last = r;
  }
  const otlp = await receiver.counts();
  if (otlp.posts === 0 || otlp.bytes === 0) throw new Error('no spans reached the OTLP receiver');
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const offMedian = median(off);
  const onMedian = median(on);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'observe',
      urls,
      hosts,
      concurrency,
      latencyMs,
      traceSampleRatio: sample,
      rounds,
      offPagesPerSec: off,
      onPagesPerSec: on,
      offMedian,
      onMedian,
      ratioOnToOff: Math.round((onMedian / offMedian) * 1000) / 1000,
      overheadPct: Math.round((1 - onMedian / offMedian) * 1000) / 10,
      offCpuUsPerPage: offCpu,
      onCpuUsPerPage: onCpu,
      cpuOverheadPct: Math.round((median(onCpu) / median(offCpu) - 1) * 1000) / 10,
      lastRun: { fetchesCounted: last.fetches, scrapes: last.scrapes },
      otlp,
    })}\n`,
  );
} finally {
  receiver.stop();
  await agent.close();
  await server.stop();
}
