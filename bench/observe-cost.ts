/**
 * What observability costs per page, measured without the network's noise. Step 1 runs a real
 * collect (synthetic web in its own process, no latency, robots and delays off) while recording
 * every message published on the channels observe/ listens to, and the CPU time the collect took.
 * Step 2 replays that exact message stream in this process, alternating rounds with observe/ off
 * (publish only) and on (Prometheus metrics at full rate, scraped once a second of the collect's own
 * duration, traces sampled at 10% and exported over OTLP/HTTP to a receiver in another process).
 * The difference in CPU time per page, against the CPU the collect itself spent per page, is the
 * share of a CPU-bound collect's throughput that observability takes.
 *   node --import tsx bench/observe-cost.ts [--urls 5000] [--hosts 500] [--rounds 7] [--sample 0.1]
 * Prints one JSON object; throws if the replay's metrics do not count every fetch or no span
 * reached the receiver.
 */
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { runCollectBench } from '../src/bench/collect-workload.js';
import { startOtlpReceiver } from '../src/bench/observe-peers.js';
import { CHANNELS } from '../src/observe/channels.js';
import { startObservability } from '../src/observe/index.js';
import { numberArg } from '../src/bench/args.js';

const arg = numberArg;
const urls = arg('urls', 5_000);
const hosts = arg('hosts', 500);
const rounds = arg('rounds', 7);
const sample = arg('sample', 0.1);

// 1. A real collect, recorded. Something must listen for the core to publish at all.
const events: { name: string; msg: unknown; at: number }[] = [];
const recorders = Object.values(CHANNELS).map((name) => {
  const fn = (msg: unknown): void => void events.push({ name, msg: structuredClone(msg), at: performance.now() });
  subscribe(name, fn);
  return () => unsubscribe(name, fn);
});
const cpu0 = process.cpuUsage();
const collected = await runCollectBench({ urls, hosts, concurrency: 256, latencyMs: 0, seed: 1, extract: false, hostDelayMs: 0, robots: false });
const collectCpu = process.cpuUsage(cpu0);
for (const undo of recorders) undo();
if (collected.rows !== urls || collected.failures !== 0) throw new Error(`collect wrote ${collected.rows} rows for ${urls} URLs, ${collected.failures} failed`);
// The recording's own cost (structuredClone per message) is inside collectCpu: an overestimate of
// the collect's CPU, which makes the overhead ratio smaller; subtract it by timing a clone pass.
const cloneStart = process.cpuUsage();
for (const e of events) structuredClone(e.msg);
const cloneCpu = process.cpuUsage(cloneStart);
const collectCpuMs = (collectCpu.user + collectCpu.system - cloneCpu.user - cloneCpu.system) / 1000;
const fetchEnds = events.filter((e) => e.name === CHANNELS.fetchEnd).length;
const span = events.length > 0 ? events.at(-1)!.at - events[0]!.at : 0;

const receiver = await startOtlpReceiver();
const endpoint = `${receiver.url}/v1/traces`;

const channels = new Map<string, ReturnType<typeof channel>>(Object.values(CHANNELS).map((n) => [n, channel(n)]));
/** Replays the recording; scrapes (when on) as often as once a second of the collect did. Returns CPU ms. */
async function replay(observe: boolean): Promise<number> {
  const obs = observe
    ? await startObservability({
        serviceName: 'jarvix-bench',
        runId: 'bench',
        worker: 'w0',
        processMetrics: true,
        env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: String(sample) },
      })
    : undefined;
  const scrapes = Math.max(1, Math.round(span / 1000));
  const every = Math.ceil(events.length / scrapes);
  const start = process.cpuUsage();
  let text = '';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    channels.get(e.name)!.publish(e.msg);
    // What the metrics server does per scrape (the scrape client is Prometheus, not this process).
    if (obs && i % every === every - 1) text = await obs.metricsText();
    // Yield now and then, as the collect does, so exports and timers run inside the measurement.
    if (i % 2000 === 1999) await new Promise((r) => setImmediate(r));
  }
  if (obs) text = await obs.metricsText();
  await obs?.close();
  const used = process.cpuUsage(start);
  if (obs) {
    const counted = text
      .split('\n')
      .filter((l) => l.startsWith('jarvix_fetches_total{'))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    if (counted !== fetchEnds) throw new Error(`metrics counted ${counted} fetches, the replay published ${fetchEnds}`);
  }
  return (used.user + used.system) / 1000;
}

const off: number[] = [];
const on: number[] = [];
await replay(true); // warm-up: module loading and JIT are not per-page costs
await replay(false);
for (let i = 0; i < rounds; i++) {
  off.push(await replay(false));
  on.push(await replay(true));
}
const { posts } = await receiver.counts();
receiver.stop();
if (posts === 0) throw new Error('no spans reached the OTLP receiver');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pages = urls;
const costUsPerPage = ((median(on) - median(off)) * 1000) / pages;
const collectUsPerPage = (collectCpuMs * 1000) / pages;
const r = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
process.stdout.write(
  `${JSON.stringify({
    bench: 'observe-cost',
    urls,
    hosts,
    rounds,
    sample,
    events: events.length,
    eventsPerPage: r(events.length / pages, 2),
    collectPagesPerSecond: collected.pagesPerSecond,
    collectCpuUsPerPage: r(collectUsPerPage),
    replayOffCpuMs: off.map((x) => r(x)),
    replayOnCpuMs: on.map((x) => r(x)),
    observeCpuUsPerPage: r(costUsPerPage),
    shareOfCollectCpu: r(costUsPerPage / collectUsPerPage, 4),
    otlpPosts: posts,
  })}\n`,
);
