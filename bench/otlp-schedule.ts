/**
 * How soon spans reach an OTLP endpoint while a crawl runs, by the batching processor's schedule:
 * the default (100 ms) against OTEL_BSP_SCHEDULE_DELAY=3000. Moved here from the test suite, which
 * asserts no timings. Each round starts observability, fetches a few pages of the synthetic web,
 * and times the first POST to a loopback receiver.
 *   node --import tsx bench/otlp-schedule.ts [--rounds 3]
 * Prints one JSON line. Throws if a POST never arrives, or if the default schedule is not clearly
 * sooner than the 3 s one (the ratio is the check: both run on the same machine, same process).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { numberArg } from '../src/bench/args.js';
import { createFetcher } from '../src/fetch/index.js';
import { createAgent, parseResolveRule } from '../src/net/index.js';
import { startObservability } from '../src/observe/index.js';
import { startTestWeb } from '../src/testweb/index.js';

const rounds = numberArg('rounds', 3);
let posts = 0;
const receiver = createServer((req, res) => {
  req.resume().on('end', () => {
    posts++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
const web = await startTestWeb({ hosts: 1, pagesPerHost: 20, latency: { kind: 'none' }, faults: 0 });
const agent = createAgent({ resolve: [parseResolveRule(web.resolveRule)], allowPrivate: true });
const fetcher = createFetcher(agent, { userAgent: 'jarvix-bench', headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, totalTimeoutMs: 10_000, maxBodyBytes: 1 << 20 });

async function firstPostMs(env: Record<string, string>): Promise<number> {
  posts = 0;
  const obs = await startObservability({ serviceName: 'jarvix-bench', runId: 'b', worker: 'w', processMetrics: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, ...env } });
  for (const url of web.seedUrls(3)) {
    const res = await fetcher.fetch(url);
    for (const ex of res.exchanges) await ex.body.dispose();
  }
  const started = performance.now();
  while (posts === 0 && performance.now() - started < 10_000) await new Promise((r) => setTimeout(r, 5));
  const waited = performance.now() - started;
  await obs.close();
  if (posts === 0) throw new Error(`no OTLP POST within 10 s (${JSON.stringify(env)})`);
  return waited;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const byDefault: number[] = [];
const slow: number[] = [];
for (let i = 0; i < rounds; i++) {
  byDefault.push(await firstPostMs({}));
  slow.push(await firstPostMs({ OTEL_BSP_SCHEDULE_DELAY: '3000' }));
}
await agent.close();
await web.close();
receiver.close();
const result = { bench: 'otlp-schedule', rounds, firstPostMs: { default: Math.round(median(byDefault)), scheduleDelay3000: Math.round(median(slow)) } };
console.log(JSON.stringify(result));
if (!(result.firstPostMs.default * 3 < result.firstPostMs.scheduleDelay3000)) throw new Error('the default schedule is not clearly sooner than OTEL_BSP_SCHEDULE_DELAY=3000');
