/**
 * The cost of observability on a real collect, measured within one run (issue 9: "on versus off in
 * the same run"). One long collect (synthetic web in its own process, no latency, robots and delays
 * off: CPU-bound, the worst case) with observability started: every metric at full rate, /metrics
 * scraped every second from another process (as Prometheus would; its default is every 15 s),
 * traces sampled at 10% and exported over OTLP/HTTP to a receiver in another process. Every
 * `--window-ms` the bench switches observe/ between listening and not listening to the core's
 * channels and counts, per window, the pages finished and the CPU time this process used. The
 * machine's slow drifts (other jobs, the synthetic web's process) then fall on both states alike,
 * which alternating whole runs could not achieve on this shared 2-core machine (±10% between runs).
 * Prints pages/s and CPU per page of each state and the overhead; throws if the run did the wrong
 * amount of work, nothing was scraped or no span was exported.
 *   node --import tsx bench/observe-collect.ts [--urls 200000] [--hosts 2000] [--window-ms 2000] [--sample 0.1] [--metrics-only] [--no-switch] [--windows]
 */
import { runCollectBench } from '../src/bench/collect-workload.js';
import { startOtlpReceiver, startScraper } from '../src/bench/observe-peers.js';
import type { Collector } from '../src/collect/collector.js';
import { startObservability } from '../src/observe/index.js';
import { numberArg } from '../src/bench/args.js';

const arg = numberArg;
const urls = arg('urls', 200_000);
const hosts = arg('hosts', 2_000);
const windowMs = arg('window-ms', 2_000);
const sample = arg('sample', 0.1);
/** Metrics alone, no tracing: to tell the two costs apart. */
const metricsOnly = process.argv.includes('--metrics-only');
/**
 * Label the windows on and off as usual but never switch (observe/ listens throughout): the
 * "overhead" printed is then the bench's own noise on this machine (an A/A test).
 */
const noSwitch = process.argv.includes('--no-switch');
/** Windows left out at the start: the pool ramps up, code warms up. */
const WARMUP_WINDOWS = 3;

const receiver = await startOtlpReceiver();
const obs = await startObservability({
  serviceName: 'jarvix-bench',
  runId: 'bench',
  worker: 'w0',
  metricsPort: 0,
  env: metricsOnly ? {} : { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: String(sample) },
});
const scraper = await startScraper(obs.metricsUrl!, 1_000);

interface Window {
  on: boolean;
  ms: number;
  pages: number;
  cpuUs: number;
}
const windows: Window[] = [];
let collector: Collector | undefined;
let listening = true;
let last = { at: performance.now(), cpu: process.cpuUsage(), pages: 0 };
const finished = (): number => (collector ? collector.counters.fetched + collector.counters.failed + collector.counters.refused : 0);
const tick = (): void => {
  // Switch first: stopping to listen hands the queued messages to the sinks, which is the ending
  // window's work and must be counted in it.
  const was = listening;
  listening = !listening;
  if (!noSwitch) obs.setListening(listening);
  const now = { at: performance.now(), cpu: process.cpuUsage(), pages: finished() };
  windows.push({ on: was, ms: now.at - last.at, pages: now.pages - last.pages, cpuUs: now.cpu.user + now.cpu.system - last.cpu.user - last.cpu.system });
  last = now;
};
let timer: NodeJS.Timeout | undefined;
const result = await runCollectBench({
  urls,
  hosts,
  concurrency: 256,
  latencyMs: 0,
  seed: 1,
  extract: false,
  hostDelayMs: 0,
  robots: false,
  onCollector: (c) => {
    collector = c;
    last = { at: performance.now(), cpu: process.cpuUsage(), pages: 0 };
    timer = setInterval(tick, windowMs);
  },
});
clearInterval(timer);
// The run's last, partial window: its pages count toward what observe/ handled if it was on.
const tail = finished() - last.pages;
const pagesHandled = noSwitch ? finished() : windows.filter((w) => w.on).reduce((n, w) => n + w.pages, 0) + (listening ? tail : 0);
obs.setListening(true);
const selfText = await obs.metricsText();
const selfMetric = (name: string): number => Number(selfText.split('\n').find((l) => l.startsWith(`${name}{`))?.split(' ').at(-1) ?? NaN);
const handlerSeconds = selfMetric('jarvix_observe_handler_seconds_total');
const scraped = await scraper.stop();
await obs.close();
const { posts } = await receiver.counts();
receiver.stop();
if (result.rows !== urls || result.failures !== 0) throw new Error(`collect wrote ${result.rows} rows for ${urls} URLs, ${result.failures} failed`);
if (scraped.scrapes === 0) throw new Error('no scrape of /metrics succeeded');
if (!metricsOnly && sample >= 0.01 && posts === 0) throw new Error('no spans reached the OTLP receiver');

// Whole windows after the warm-up; the last (partial, the run winding down) is not in `windows`.
const counted = windows.slice(WARMUP_WINDOWS);
const sum = (on: boolean): { ms: number; pages: number; cpuUs: number; n: number } =>
  counted.filter((w) => w.on === on).reduce((a, w) => ({ ms: a.ms + w.ms, pages: a.pages + w.pages, cpuUs: a.cpuUs + w.cpuUs, n: a.n + 1 }), { ms: 0, pages: 0, cpuUs: 0, n: 0 });
const on = sum(true);
const off = sum(false);
if (on.n < 5 || off.n < 5) throw new Error(`only ${on.n} windows on and ${off.n} off: give the run more URLs`);
const pps = (s: typeof on): number => (s.pages * 1000) / s.ms;
const cpuPerPage = (s: typeof on): number => s.cpuUs / s.pages;
const r = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
process.stdout.write(
  `${JSON.stringify({
    bench: 'observe-collect',
    urls,
    hosts,
    windowMs,
    sample: metricsOnly ? 0 : sample,
    noSwitch,
    windows: { on: on.n, off: off.n },
    onPagesPerSecond: r(pps(on)),
    offPagesPerSecond: r(pps(off)),
    overhead: r(1 - pps(on) / pps(off), 4),
    onCpuUsPerPage: r(cpuPerPage(on)),
    offCpuUsPerPage: r(cpuPerPage(off)),
    cpuOverhead: r(cpuPerPage(on) / cpuPerPage(off) - 1, 4),
    // observe/'s own measure of its handlers (jarvix_observe_handler_seconds_total), per page handled.
    handlerUsPerPage: r((handlerSeconds * 1e6) / pagesHandled),
    handlerShareOfOffCpu: r((handlerSeconds * 1e6) / pagesHandled / cpuPerPage(off), 4),
    wholeRunPagesPerSecond: result.pagesPerSecond,
    scrapes: scraped.scrapes,
    otlpPosts: posts,
    perWindow: process.argv.includes('--windows') ? counted.map((w) => `${w.on ? 'on' : 'off'}:${Math.round((w.pages * 1000) / w.ms)}/${Math.round(w.cpuUs / w.pages)}`) : undefined,
  })}\n`,
);
