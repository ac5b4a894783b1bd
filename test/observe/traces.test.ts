import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { channel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { startObservability, type Observability } from '../../src/observe/index.js';
import { robotsAllowsUrl } from '../../src/testweb/index.js';
import { scanTable } from '../../src/dataset/index.js';
import { collectUrls, fetchAll, SpanCapture, startWeb, type Web } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
let obs: Observability | undefined;
afterEach(async () => {
  await obs?.close();
  obs = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

const base = { serviceName: 'jarvix-test', runId: 'r1', worker: 'w1', processMetrics: false };

async function setup(input: Parameters<typeof startWeb>[0]): Promise<{ web: Web; exporter: SpanCapture; collect: (urls: readonly string[], o?: { extract?: boolean; hostDelayMs?: number }) => Promise<string> }> {
  const web = await startWeb(input);
  cleanups.push(() => web.close());
  const exporter = new SpanCapture();
  const collect = async (urls: readonly string[], o: { extract?: boolean; hostDelayMs?: number } = {}): Promise<string> => {
    const run = await collectUrls(web.web, urls, o);
    cleanups.push(run.cleanup);
    return run.runDir;
  };
  return { web, exporter, collect };
}

async function pagesOf(runDir: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = new Map<string, Record<string, unknown>>();
  for await (const batch of scanTable(runDir, 'pages')) for (const r of batch) rows.set(String(r.url), r);
  return rows;
}

const hrTimeToMilliseconds = (t: HrTime): number => t[0] * 1000 + t[1] / 1e6;
const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] =>
  spans.filter((s) => parentOf(s) === parent.spanContext().spanId && s.spanContext().traceId === parent.spanContext().traceId);

describe('observe: spans from channel events', () => {
  it('builds one trace per page: the HTTP client span with robots, politeness, archive and stage children', async () => {
    const { web, exporter, collect } = await setup({ hosts: 1, pagesPerHost: 20, faults: 0 });
    obs = await startObservability({ ...base, spanExporter: exporter });
    expect(obs.tracing).toBe(true);
    const url = web.web.url(0, 0);
    const runDir = await collect([url], { extract: true, hostDelayMs: 1_000 });
    expect((await pagesOf(runDir)).get(url)?.fetch_status).toBe(200);
    await obs.close();

    const spans = exporter.spans;
    const page = spans.find((s) => s.name === 'GET' && s.attributes['url.full'] === url)!;
    expect(page).toBeDefined();
    expect(parentOf(page)).toBeUndefined();
    expect(page.kind).toBe(SpanKind.CLIENT);
    expect(page.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': url,
      'server.address': new URL(url).hostname,
      'server.port': 80,
      'http.response.status_code': 200,
      'jarvix.fetch.hops': 1,
    });
    expect(page.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(page.resource.attributes).toMatchObject({ 'service.name': 'jarvix-test', 'jarvix.run_id': 'r1', 'jarvix.worker': 'w1' });

    const kids = childrenOf(spans, page);
    // A wait longer than 50 ms is taken out of the pool: the lease comes back and checks robots
    // again (from the cache), so robots.check may appear twice.
    expect([...new Set(kids.map((s) => s.name))].sort()).toEqual(['archive.write', 'politeness.wait', 'robots.check', 'stage.analyse']);
    const robotsSpan = kids.find((s) => s.name === 'robots.check' && s.attributes['jarvix.robots.source'] === 'robots.txt' && childrenOf(spans, s).length > 0)!;
    expect(robotsSpan.attributes).toMatchObject({ 'jarvix.robots.allowed': true, 'jarvix.robots.source': 'robots.txt' });
    // The robots.txt request made for that check is the check's child, not a page of its own.
    const robotsFetch = childrenOf(spans, robotsSpan);
    expect(robotsFetch).toHaveLength(1);
    expect(robotsFetch[0]!.attributes).toMatchObject({ 'url.full': `${new URL(url).origin}/robots.txt`, 'http.response.status_code': 200 });
    const write = kids.find((s) => s.name === 'archive.write')!;
    expect(write.attributes['jarvix.warc.bytes']).toBeGreaterThan(0);
    expect(String(write.attributes['jarvix.warc.file'])).toMatch(/\.warc\.gz$/);
    // The collector keeps the host delay (1 s) after the robots.txt request.
    const waitSpan = kids.find((s) => s.name === 'politeness.wait')!;
    expect(waitSpan.attributes['jarvix.politeness.waited_ms']).toBeGreaterThan(0);
    expect(hrTimeToMilliseconds(page.duration)).toBeGreaterThan(0);
    // Beside the page trace: the robots.txt fetch, and its archive write (the collector archives
    // robots.txt like any exchange; that write is a root of its own).
    const others = spans.filter((s) => s !== page && !kids.includes(s) && !robotsFetch.includes(s));
    expect(others.map((s) => [s.name, s.attributes['url.full']])).toEqual([['archive.write', `${new URL(url).origin}/robots.txt`]]);
  });

  it('keeps every hop of a redirect chain in the trace of the URL asked for, and marks failures', async () => {
    const { web, exporter, collect } = await setup({ hosts: 2, pagesPerHost: 60, faults: { redirectChain: 0.3, http500: 0.2 }, transientFaultCount: 5 });
    obs = await startObservability({ ...base, spanExporter: exporter });
    const urls = web.web.seedUrls(60).filter((u) => robotsAllowsUrl(web.web.model, u, 'jarvix'));
    const chained = urls.find((u) => web.web.describe(u).fault === 'redirectChain')!;
    const failing = urls.find((u) => web.web.describe(u).fault === 'http500')!;
    const runDir = await collect([chained, failing]);
    await obs.close();
    const spans = exporter.spans;

    const truth = web.web.describe(chained);
    const chain = [chained, ...truth.redirects];
    expect(chain.length).toBeGreaterThan(1);
    const chainSpan = spans.find((s) => s.name === 'GET' && s.attributes['url.full'] === chained)!;
    expect(chainSpan.attributes['jarvix.fetch.hops']).toBe(chain.length);
    expect(chainSpan.attributes['jarvix.fetch.final_url']).toBe(truth.finalUrl);
    expect((await pagesOf(runDir)).get(chained)?.fetch_redirect).toBe(truth.finalUrl);
    const writes = childrenOf(spans, chainSpan).filter((s) => s.name === 'archive.write');
    expect(writes.map((s) => s.attributes['url.full'])).toEqual(chain);

    const failSpan = spans.find((s) => s.name === 'GET' && s.attributes['url.full'] === failing)!;
    expect(failSpan.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': 'JVX_ERR_HTTP_5XX' });
    expect(failSpan.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ends a refused page at its robots decision and counts resends on the next attempt', async () => {
    const { web, exporter, collect } = await setup({ hosts: 6, pagesPerHost: 5, faults: 0, robots: { disallow: 0.5 } });
    obs = await startObservability({ ...base, spanExporter: exporter });
    const refusedUrl = web.web.seedUrls(30).find((u) => !robotsAllowsUrl(web.web.model, u, 'jarvix'))!;
    expect(refusedUrl).toBeDefined();
    const runDir = await collect([refusedUrl]);
    expect((await pagesOf(runDir)).get(refusedUrl)?.error_code).toBe('JVX_ERR_ROBOTS_DISALLOWED');
    // A retry is announced for a URL; its next fetch carries the resend count.
    const again = web.web.url(0, 1);
    channel('jarvix:fetch:retry').publish({ url: again, attempt: 2, delayMs: 0, errorCode: 'JVX_ERR_HTTP_5XX' });
    await fetchAll(web.fetcher, [again]);
    await obs.close();
    const spans = exporter.spans;
    const refused = spans.find((s) => s.attributes['url.full'] === refusedUrl && parentOf(s) === undefined)!;
    expect(refused.name).toBe('page');
    expect(refused.attributes['jarvix.robots.allowed']).toBe(false);
    expect(childrenOf(spans, refused).map((s) => s.name)).toEqual(['robots.check']);
    const resent = spans.find((s) => s.name === 'GET' && s.attributes['url.full'] === again)!;
    expect(resent.attributes['http.request.resend_count']).toBe(2);
  });

  it('samples with OTEL_TRACES_SAMPLER: always_off makes no spans, a bad value is refused', async () => {
    const { web, exporter } = await setup({ hosts: 1, pagesPerHost: 5, faults: 0 });
    obs = await startObservability({ ...base, spanExporter: exporter, env: { OTEL_TRACES_SAMPLER: 'always_off' } });
    await fetchAll(web.fetcher, web.web.seedUrls(3));
    await obs.close();
    expect(exporter.spans).toHaveLength(0);
    exporter.spans.length = 0;
    obs = await startObservability({ ...base, spanExporter: exporter, env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' } });
    await fetchAll(web.fetcher, web.web.seedUrls(3));
    await obs.close();
    expect(exporter.spans).toHaveLength(3);
    await expect(startObservability({ ...base, spanExporter: exporter, env: { OTEL_TRACES_SAMPLER: 'sometimes' } })).rejects.toMatchObject({
      code: 'JVX_ERR_OBSERVE_OTEL_CONFIG',
      variable: 'OTEL_TRACES_SAMPLER',
    });
    await expect(startObservability({ ...base, spanExporter: exporter, env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' } })).rejects.toMatchObject({
      code: 'JVX_ERR_OBSERVE_OTEL_CONFIG',
      variable: 'OTEL_TRACES_SAMPLER_ARG',
    });
  });

  it('samples whole pages: a kept page has all its children, a dropped page leaves no span (no orphan children)', async () => {
    const { web, exporter, collect } = await setup({ hosts: 4, pagesPerHost: 20, faults: 0 });
    obs = await startObservability({ ...base, spanExporter: exporter, env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' } });
    const urls = web.web.seedUrls(60).filter((u) => robotsAllowsUrl(web.web.model, u, 'jarvix') && web.web.describe(u).redirects.length === 0);
    await collect(urls);
    await obs.close();
    const spans = exporter.spans;
    const roots = spans.filter((s) => parentOf(s) === undefined);
    const pageRoots = roots.filter((s) => s.name === 'GET' && urls.includes(String(s.attributes['url.full'])));
    // About half the pages kept (60 coin flips: 15..45 keeps this from flaking).
    expect(pageRoots.length).toBeGreaterThan(urls.length * 0.25);
    expect(pageRoots.length).toBeLessThan(urls.length * 0.75);
    // Each kept page has its robots check and archive write; the first page of a host also waits
    // the host delay after robots.txt (later ones are spaced by the frontier, before the task).
    for (const page of pageRoots) {
      const names = childrenOf(spans, page).map((s) => s.name).filter((n) => n !== 'politeness.wait').sort();
      expect(names).toEqual(['archive.write', 'robots.check']);
    }
    // Every other root is a robots.txt fetch: a dropped page's archive write, wait or check never starts a trace of its own.
    expect(roots.filter((s) => !pageRoots.includes(s)).every((s) => String(s.attributes['url.full']).endsWith('/robots.txt'))).toBe(true);
    // Every span's parent was exported: no child of a dropped page.
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    expect(spans.every((s) => parentOf(s) === undefined || ids.has(parentOf(s)!))).toBe(true);
  });

  it('makes no spans at all without an exporter or OTLP endpoint', async () => {
    obs = await startObservability({ ...base, env: {} });
    expect(obs.tracing).toBe(false);
  });
});
