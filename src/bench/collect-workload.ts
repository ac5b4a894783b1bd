import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector } from '../collect/collector.js';
import { parseResolveRule } from '../net/index.js';
import { WebModel } from '../testweb/model.js';
import { resolveTestWebOptions } from '../testweb/options.js';
import { seedUrlStream } from '../testweb/index.js';
import type { BenchOptions, BenchResult } from './baseline.js';
import { ResourceMeter } from './stats.js';
import { startTestWebProcess } from './testweb-process.js';
import { collectDefaults } from '../collect/options.js';
import { PolitenessFloorTally, type PolitenessFloor } from './politeness-floor.js';

export interface CollectBenchOptions extends BenchOptions {
  /** Per-host delay; undefined keeps collect's default (politeness on). */
  hostDelayMs?: number;
  /** Run extraction, chunking and scoring on worker threads too. */
  extract: boolean;
  /** Fetch robots.txt and obey it (Crawl-delay included); off measures the machinery alone. */
  robots?: boolean;
  /** Called with the collector before it runs (a bench that samples its counters). */
  onCollector?: (collector: Collector) => void;
}

/**
 * `jarvix collect` as a user runs it (politeness, robots.txt, WARC, Parquet, checkpoints), in this
 * process, against the synthetic web in its own process. The run goes to a temp folder, removed after.
 */
export async function runCollectBench(o: CollectBenchOptions): Promise<BenchResult & { refused: number; rows: number; floor: PolitenessFloor }> {
  const pagesPerHost = Math.max(1, Math.ceil(o.urls / o.hosts));
  const server = await startTestWebProcess({ hosts: o.hosts, pagesPerHost, latencyMs: o.latencyMs, faults: 0, seed: o.seed });
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-'));
  let stopped = false;
  try {
    const input = join(dir, 'seeds.txt');
    const out = createWriteStream(input);
    const model = new WebModel(resolveTestWebOptions({ hosts: o.hosts, pagesPerHost, seed: o.seed, latency: { medianMs: o.latencyMs } }));
    const floor = new PolitenessFloorTally(model, {
      hostDelayMs: o.hostDelayMs ?? collectDefaults.hostDelayMs,
      robots: o.robots ?? true,
      robotsTimeoutMs: collectDefaults.robotsTimeoutMs,
      maxCrawlDelayMs: collectDefaults.maxCrawlDelayMs,
    });
    for (const url of seedUrlStream(model, o.urls)) {
      floor.add(url);
      if (!out.write(`${url}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const meter = new ResourceMeter();
    const collector = new Collector({
      dataDir: dir,
      runId: 'bench',
      input,
      resolve: [parseResolveRule(server.resolveRule)],
      allowPrivate: true,
      maxConcurrency: o.concurrency,
      progress: 'none',
      extract: o.extract,
      respectRobots: o.robots ?? true,
      ...(o.hostDelayMs === undefined ? {} : { hostDelayMs: o.hostDelayMs }),
    });
    o.onCollector?.(collector);
    const summary = await collector.run();
    const usage = meter.stop();
    const served = await server.stop();
    stopped = true;
    const c = summary.counts;
    const lat = summary.session.latencyMs;
    return {
      workload: o.extract ? 'collect+extract' : 'collect',
      urls: o.urls,
      hosts: o.hosts,
      concurrency: o.concurrency,
      latencyMs: o.latencyMs,
      pages: c.fetched,
      refused: c.refused,
      rows: c.pages,
      failures: c.failed,
      seconds: Math.round(usage.seconds * 1000) / 1000,
      pagesPerSecond: Math.round(((c.fetched + c.refused) / usage.seconds) * 10) / 10,
      latency: { p50: lat.p50 ?? NaN, p95: lat.p95 ?? NaN, p99: lat.p99 ?? NaN },
      wireMB: Math.round((summary.session.bytes / 1e6) * 10) / 10,
      decodedMB: NaN,
      cpuSeconds: Math.round(usage.cpuSeconds * 100) / 100,
      peakRssMB: usage.peakRssMB,
      server: served,
      floor: floor.result(),
    };
  } finally {
    if (!stopped) await server.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
