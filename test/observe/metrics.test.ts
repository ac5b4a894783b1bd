import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startObservability, type Observability } from '../../src/observe/index.js';
import { fetchAll, metricValue, robotsFor, scrape, startWeb, type Web } from './harness.js';

let web: Web | undefined;
let obs: Observability | undefined;
afterEach(async () => {
  await obs?.close();
  await web?.close();
  obs = undefined;
  web = undefined;
});

const base = { serviceName: 'jarvix-test', runId: 'r1', worker: 'w1' };

describe('observe: Prometheus metrics on /metrics', () => {
  it('counts fetches and exchanges exactly as the server saw them, by status class', async () => {
    web = await startWeb({ hosts: 4, pagesPerHost: 40, faults: { http500: 0.1, http429: 0.05, redirectChain: 0.1 }, transientFaultCount: 1 });
    obs = await startObservability({ ...base, metricsPort: 0, topHosts: 3 });
    expect(obs.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const urls = web.web.seedUrls(120);
    const results = await fetchAll(web.fetcher, urls);

    const { status, type, text } = await scrape(obs.metricsUrl!);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');

    // Server side: every request by status class.
    const served: Record<string, number> = {};
    for (const host of web.web.record.hosts.values()) {
      for (const r of host.requests) served[`${Math.floor(r.status / 100)}xx`] = (served[`${Math.floor(r.status / 100)}xx`] ?? 0) + 1;
    }
    expect(served['3xx']).toBeGreaterThan(0);
    expect(served['5xx']).toBeGreaterThan(0);
    for (const cls of ['2xx', '3xx', '4xx', '5xx']) {
      expect(metricValue(text, 'jarvix_http_requests_total', { status_class: cls }), cls).toBe(served[cls] ?? 0);
    }
    expect(metricValue(text, 'jarvix_http_requests_total')).toBe(web.web.record.totalRequests);

    // Client side: one fetch per URL, by final status and error code.
    expect(metricValue(text, 'jarvix_fetches_total')).toBe(urls.length);
    const http5xx = results.filter((r) => r.error?.code === 'JVX_ERR_HTTP_5XX').length;
    expect(http5xx).toBeGreaterThan(0);
    expect(metricValue(text, 'jarvix_fetches_total', { status_class: '5xx', error_code: 'JVX_ERR_HTTP_5XX' })).toBe(http5xx);
    expect(metricValue(text, 'jarvix_fetches_total', { error_code: 'none' })).toBe(results.filter((r) => !r.error).length);
    expect(metricValue(text, 'jarvix_fetch_duration_seconds_count')).toBe(urls.length);
    expect(metricValue(text, 'jarvix_http_response_body_bytes_count')).toBe(web.web.record.totalRequests);
    expect(metricValue(text, 'jarvix_fetches_in_flight')).toBe(0);
    expect(metricValue(text, 'jarvix_fetches_total', { run: 'r1', worker: 'w1' })).toBe(urls.length);

    // Per-host series only for the bounded top N, with exact counts while hosts fit the table.
    const hostLines = text.split('\n').filter((l) => l.startsWith('jarvix_top_host_fetches{'));
    expect(hostLines).toHaveLength(3);
    for (const l of hostLines) expect(Number(l.split(' ').at(-1))).toBe(30);
    // No URL ever becomes a label.
    expect(text).not.toMatch(/\/p\/\d+/);

    // Event-loop lag, heap and RSS come with the process metrics.
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'process_resident_memory_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect((await scrape(obs.metricsUrl!.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('counts robots decisions by outcome and source', async () => {
    web = await startWeb({ hosts: 8, pagesPerHost: 10, faults: 0, robots: { disallow: 0.5, notFound: 0.25 } });
    obs = await startObservability({ ...base, processMetrics: false });
    const robots = robotsFor(web.fetcher);
    const urls = web.web.seedUrls(40);
    let allowed = 0;
    for (const u of urls) if ((await robots.check(u)).allowed) allowed++;
    const text = await obs.metricsText();
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(urls.length);
    expect(metricValue(text, 'jarvix_robots_decisions_total', { outcome: 'allowed' })).toBe(allowed);
    expect(metricValue(text, 'jarvix_robots_decisions_total', { outcome: 'disallowed' })).toBe(urls.length - allowed);
    expect(metricValue(text, 'jarvix_robots_decisions_total', { source: '4xx' })).toBeGreaterThan(0);
    // The robots.txt fetches themselves are fetches: one per host.
    expect(metricValue(text, 'jarvix_fetches_total')).toBe(8);
  });

  it('stops counting after close and frees the port', async () => {
    web = await startWeb({ hosts: 1, pagesPerHost: 5, faults: 0 });
    obs = await startObservability({ ...base, metricsPort: 0, processMetrics: false });
    const url = obs.metricsUrl!;
    await fetchAll(web.fetcher, web.web.seedUrls(2));
    await obs.close();
    await obs.close();
    await expect(fetch(url)).rejects.toThrow();
    obs = await startObservability({ ...base, processMetrics: false });
    await fetchAll(web.fetcher, web.web.seedUrls(3));
    expect(metricValue(await obs.metricsText(), 'jarvix_fetches_total')).toBe(3);
  });

  it('reports a busy metrics port and bad options with their codes', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startObservability({ ...base, metricsPort: port })).rejects.toMatchObject({ code: 'JVX_ERR_OBSERVE_METRICS_LISTEN', port });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    await expect(startObservability({ ...base, metricsPort: 70_000 })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'observe.metricsPort' });
    await expect(startObservability({ ...base, logLevel: 'loud' })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'observe.logLevel' });
    await expect(startObservability({ ...base, runId: '' })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'observe.runId' });
    await expect(startObservability({ ...base, colour: true } as never)).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_UNKNOWN' });
  });
});
