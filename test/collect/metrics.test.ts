import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWeb } from '../../src/testweb/index.js';
import { parseResolveRule } from '../../src/net/index.js';
import { Collector } from '../../src/collect/collector.js';
import { startObservability } from '../../src/observe/index.js';
import { tempDir } from '../helpers/tmp.js';

/** Sum of a metric's samples whose labels contain every given pair. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('collect with metrics on', () => {
  it('serves /metrics whose counters match what the synthetic web served', async () => {
    const web = await startTestWeb({ seed: 8, hosts: 8, pagesPerHost: 60, latency: { kind: 'none' }, faults: { http500: 0.05, redirectChain: 0.05 }, crawlDelaySeconds: 0, robots: { disallow: 0.3 } });
    const tmp = await tempDir();
    const collector = new Collector({
      dataDir: tmp.dir,
      runId: 'metrics',
      input: join(tmp.dir, 'seeds.txt'),
      resolve: [parseResolveRule(web.resolveRule)],
      allowPrivate: true,
      hostDelayMs: 0,
      retryBaseDelayMs: 20,
      progress: 'none',
      checkpointEveryRecords: 30,
    });
    const obs = await startObservability({ serviceName: 'jarvix-test', runId: 'metrics', worker: collector.opts.worker, metricsPort: 0 });
    try {
      await writeFile(join(tmp.dir, 'seeds.txt'), web.seedUrls(160).join('\n'));
      const summary = await collector.run();
      const res = await fetch(obs.metricsUrl!);
      expect(res.status).toBe(200);
      const text = await res.text();
      const served = web.record.summary();
      let byClass = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 } as Record<string, number>;
      for (const h of Object.values(served.hosts)) {
        for (const [status, n] of Object.entries(h.statusCounts)) byClass[`${status[0]}xx`] = (byClass[`${status[0]}xx`] ?? 0) + n;
      }
      byClass = Object.fromEntries(Object.entries(byClass).filter(([, n]) => n > 0));
      // Every answer the server sent (robots.txt, redirect hops and 500s included) was counted once.
      for (const [cls, n] of Object.entries(byClass)) expect(metric(text, 'jarvix_http_requests_total', { status_class: cls }), cls).toBe(n);
      expect(metric(text, 'jarvix_http_requests_total')).toBe(served.totalRequests);
      expect(byClass['5xx']).toBeGreaterThan(0);
      expect(byClass['3xx']).toBeGreaterThan(0);
      // Robots decisions, checkpoints and the frontier gauge agree with the run.
      expect(metric(text, 'jarvix_robots_decisions_total', { outcome: 'disallowed' })).toBe(summary.counts.robots_blocked);
      expect(summary.counts.robots_blocked).toBeGreaterThan(0);
      expect(metric(text, 'jarvix_checkpoint_urls_total')).toBe(summary.counts.pages);
      expect(metric(text, 'jarvix_frontier_urls', { state: 'done' })).toBe(summary.counts.pages);
      expect(metric(text, 'jarvix_fetch_retries_total')).toBeGreaterThan(0);
      expect(text).not.toMatch(/url="/);
      // observe/ reports its own cost: every exchange's hop message at least went through a batch.
      expect(metric(text, 'jarvix_observe_messages_total')).toBeGreaterThanOrEqual(served.totalRequests);
      expect(metric(text, 'jarvix_observe_handler_seconds_total')).toBeGreaterThan(0);
    } finally {
      await obs.close();
      await web.close();
      await tmp.cleanup();
    }
  });
});
