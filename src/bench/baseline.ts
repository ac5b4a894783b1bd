import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import { request } from 'undici';
import { createAgent, parseResolveRule } from '../net/index.js';
import { WebModel } from '../testweb/model.js';
import { resolveTestWebOptions } from '../testweb/options.js';
import { seedUrlStream } from '../testweb/index.js';
import { percentiles, ResourceMeter } from './stats.js';
import { startTestWebProcess } from './testweb-process.js';

export interface BenchOptions {
  urls: number;
  hosts: number;
  concurrency: number;
  latencyMs: number;
  seed: number;
}

export interface BenchResult {
  workload: string;
  urls: number;
  hosts: number;
  concurrency: number;
  latencyMs: number;
  pages: number;
  failures: number;
  seconds: number;
  pagesPerSecond: number;
  latency: Record<string, number>;
  wireMB: number;
  decodedMB: number;
  cpuSeconds: number;
  peakRssMB: number;
  server: { served: number; cpuSeconds: number; peakRssMB: number };
}

const decoders: Record<string, () => NodeJS.ReadWriteStream> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/**
 * The speed limit: a bare undici loop that fetches and decompresses each page and does nothing
 * else (no politeness, no archive, no parsing). Every later figure is a ratio against this one.
 */
export async function runBaseline(o: BenchOptions): Promise<BenchResult> {
  const pagesPerHost = Math.max(1, Math.ceil(o.urls / o.hosts));
  const server = await startTestWebProcess({ hosts: o.hosts, pagesPerHost, latencyMs: o.latencyMs, faults: 0, seed: o.seed });
  const model = new WebModel(resolveTestWebOptions({ hosts: o.hosts, pagesPerHost, seed: o.seed }));
  const agent = createAgent({ resolve: [parseResolveRule(server.resolveRule)], allowPrivate: true, connectionsPerOrigin: 1 });
  const urls = seedUrlStream(model, o.urls);
  const latencies: number[] = [];
  let wire = 0;
  let decoded = 0;
  let failures = 0;
  const meter = new ResourceMeter();
  const worker = async (): Promise<void> => {
    for (let next = urls.next(); !next.done; next = urls.next()) {
      const t0 = performance.now();
      try {
        const res = await request(next.value, { dispatcher: agent.dispatcher, headers: { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'jarvix-bench' } });
        const coding = String(res.headers['content-encoding'] ?? '');
        const counter = new Writable({
          write(chunk: Buffer, _enc, cb) {
            decoded += chunk.length;
            cb();
          },
        });
        res.body.on('data', (c: Buffer) => (wire += c.length));
        const decoder = decoders[coding];
        if (decoder) await pipeline(res.body as Readable, decoder(), counter);
        else await pipeline(res.body as Readable, counter);
        if (res.statusCode !== 200) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    await agent.close();
  }
  const usage = meter.stop();
  const served = await server.stop();
  return {
    workload: 'baseline',
    urls: o.urls,
    hosts: o.hosts,
    concurrency: o.concurrency,
    latencyMs: o.latencyMs,
    pages: latencies.length - failures,
    failures,
    seconds: Math.round(usage.seconds * 1000) / 1000,
    pagesPerSecond: Math.round(((latencies.length - failures) / usage.seconds) * 10) / 10,
    latency: percentiles(latencies),
    wireMB: Math.round((wire / 1e6) * 10) / 10,
    decodedMB: Math.round((decoded / 1e6) * 10) / 10,
    cpuSeconds: Math.round(usage.cpuSeconds * 100) / 100,
    peakRssMB: usage.peakRssMB,
    server: served,
  };
}

/** A table for people; `--json` prints the objects instead. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows: [string, ...string[]][] = [
    ['workload', ...results.map((r) => r.workload)],
    ['urls / hosts', ...results.map((r) => `${r.urls} / ${r.hosts}`)],
    ['concurrency', ...results.map((r) => String(r.concurrency))],
    ['latency median (server)', ...results.map((r) => `${r.latencyMs} ms`)],
    ['pages ok / failed', ...results.map((r) => `${r.pages} / ${r.failures}`)],
    ['pages/s', ...results.map((r) => r.pagesPerSecond.toFixed(1))],
    ['fetch p50 / p95 / p99', ...results.map((r) => `${r.latency.p50} / ${r.latency.p95} / ${r.latency.p99} ms`)],
    // collect does not decode bodies unless it extracts: no figure rather than NaN.
    ['wire / decoded', ...results.map((r) => `${r.wireMB} / ${Number.isNaN(r.decodedMB) ? '-' : r.decodedMB} MB`)],
    ['client CPU', ...results.map((r) => `${r.cpuSeconds} s`)],
    ['client peak RSS', ...results.map((r) => `${r.peakRssMB} MB`)],
    ['server CPU / requests', ...results.map((r) => `${r.server.cpuSeconds.toFixed(2)} s / ${r.server.served}`)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
