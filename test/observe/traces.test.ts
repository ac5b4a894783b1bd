import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { channel } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startObservability, type Observability } from '../../src/observe/index.js';
import { StagePool } from '../../src/stages/index.js';
import { robotsAllowsUrl } from '../../src/testweb/index.js';
import { WarcWriter } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { fetchAll, pageTask, robotsFor, SpanCapture, startWeb, type Web } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
let obs: Observability | undefined;
afterEach(async () => {
  await obs?.close();
  obs = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

const base = { serviceName: 'jarvix-test', runId: 'r1', worker: 'w1', processMetrics: false };

async function setup(input: Parameters<typeof startWeb>[0]): Promise<{ web: Web; archive: WarcWriter; exporter: SpanCapture }> {
  const web = await startWeb(input);
  cleanups.push(() => web.close());
  const tmp = await tempDir();
  cleanups.push(tmp.cleanup);
  const archive = await WarcWriter.open({ dir: join(tmp.dir, 'warc'), indexDir: join(tmp.dir, 'index'), run: 'r1', worker: 'w1' });
  cleanups.push(() => archive.close());
  const exporter = new SpanCapture();
  return { web, archive, exporter };
}

const hrTimeToMilliseconds = (t: HrTime): number => t[0] * 1000 + t[1] / 1e6;
const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] =>
  spans.filter((s) => parentOf(s) === parent.spanContext().spanId && s.spanContext().traceId === parent.spanContext().traceId);

describe('observe: spans from channel events', () => {
  it('builds one trace per page: the HTTP client span with robots, politeness, archive and stage children', async () => {
    const { web, archive, exporter } = await setup({ hosts: 1, pagesPerHost: 20, faults: 0 });
    const stages = new StagePool({ threads: 1 });
    cleanups.push(() => stages.close());
    obs = await startObservability({ ...base, spanExporter: exporter });
    expect(obs.tracing).toBe(true);
    const robots = robotsFor(web.fetcher);
    const url = web.web.url(0, 0);
    const res = await pageTask({ fetcher: web.fetcher, robots, archive, stages }, url);
    expect(res?.status).toBe(200);
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
    expect(kids.map((s) => s.name).sort()).toEqual(['archive.write', 'politeness.wait', 'robots.check', 'stage.analyse']);
    const robotsSpan = kids.find((s) => s.name === 'robots.check')!;
    expect(robotsSpan.attributes).toMatchObject({ 'jarvix.robots.allowed': true, 'jarvix.robots.source': 'robots.txt' });
    // The robots.txt request made for that check is the check's child, not a page of its own.
    const robotsFetch = childrenOf(spans, robotsSpan);
    expect(robotsFetch).toHaveLength(1);
    expect(robotsFetch[0]!.attributes).toMatchObject({ 'url.full': `${new URL(url).origin}/robots.txt`, 'http.response.status_code': 200 });
    const write = kids.find((s) => s.name === 'archive.write')!;
    expect(write.attributes['jarvix.warc.bytes']).toBeGreaterThan(0);
    expect(String(write.attributes['jarvix.warc.file'])).toMatch(/\.warc\.gz$/);
    expect(kids.find((s) => s.name === 'politeness.wait')!.attributes['jarvix.politeness.waited_ms']).toBe(5);
    // Spans carry the times the events were published, not when the batch reached the sink: the
    // 5 ms wait lasts 5 ms even though both its messages were handled in one pass.
    const waitSpan = kids.find((s) => s.name === 'politeness.wait')!;
    expect(hrTimeToMilliseconds(waitSpan.duration)).toBeGreaterThanOrEqual(4.5);
    expect(hrTimeToMilliseconds(page.duration)).toBeGreaterThan(0);
    // Nothing else was traced: the page trace and the robots.txt fetch.
    expect(spans).toHaveLength(6);
  });

  it('keeps every hop of a redirect chain in the trace of the URL asked for, and marks failures', async () => {
    const { web, archive, exporter } = await setup({ hosts: 2, pagesPerHost: 60, faults: { redirectChain: 0.3, http500: 0.2 }, transientFaultCount: 5 });
    obs = await startObservability({ ...base, spanExporter: exporter });
    const robots = robotsFor(web.fetcher);
    const urls = web.web.seedUrls(60);
    const chained = urls.find((u) => web.web.describe(u).fault === 'redirectChain')!;
    const failing = urls.find((u) => web.web.describe(u).fault === 'http500')!;
    const chainRes = await pageTask({ fetcher: web.fetcher, robots, archive, stages: null }, chained);
    await pageTask({ fetcher: web.fetcher, robots, archive, stages: null }, failing);
    await obs.close();
    const spans = exporter.spans;

    const chainSpan = spans.find((s) => s.name === 'GET' && s.attributes['url.full'] === chained)!;
    expect(chainRes!.exchanges.length).toBeGreaterThan(1);
    expect(chainSpan.attributes['jarvix.fetch.hops']).toBe(chainRes!.exchanges.length);
    expect(chainSpan.attributes['jarvix.fetch.final_url']).toBe(chainRes!.finalUrl);
    const writes = childrenOf(spans, chainSpan).filter((s) => s.name === 'archive.write');
    expect(writes.map((s) => s.attributes['url.full'])).toEqual(chainRes!.redirectChain);

    const failSpan = spans.find((s) => s.name === 'GET' && s.attributes['url.full'] === failing)!;
    expect(failSpan.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': 'JVX_ERR_HTTP_5XX' });
    expect(failSpan.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ends a refused page at its robots decision and counts resends on the next attempt', async () => {
    const { web, archive, exporter } = await setup({ hosts: 6, pagesPerHost: 5, faults: 0, robots: { disallow: 0.5 } });
    obs = await startObservability({ ...base, spanExporter: exporter });
    const robots = robotsFor(web.fetcher);
    const refusedUrl = web.web.seedUrls(30).find((u) => !robotsAllowsUrl(web.web.model, u, 'jarvix'))!;
    expect(refusedUrl).toBeDefined();
    expect(await pageTask({ fetcher: web.fetcher, robots, archive, stages: null }, refusedUrl)).toBeNull();
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
    const { web, archive, exporter } = await setup({ hosts: 4, pagesPerHost: 20, faults: 0 });
    obs = await startObservability({ ...base, spanExporter: exporter, env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' } });
    const robots = robotsFor(web.fetcher);
    const urls = web.web.seedUrls(60).filter((u) => robotsAllowsUrl(web.web.model, u, 'jarvix'));
    for (const url of urls) await pageTask({ fetcher: web.fetcher, robots, archive, stages: null }, url);
    await obs.close();
    const spans = exporter.spans;
    const roots = spans.filter((s) => parentOf(s) === undefined);
    const pageRoots = roots.filter((s) => s.name === 'GET' && urls.includes(String(s.attributes['url.full'])));
    // About half the pages kept (60 coin flips: 15..45 keeps this from flaking).
    expect(pageRoots.length).toBeGreaterThan(urls.length * 0.25);
    expect(pageRoots.length).toBeLessThan(urls.length * 0.75);
    for (const page of pageRoots) expect(childrenOf(spans, page).map((s) => s.name).sort()).toEqual(['archive.write', 'politeness.wait', 'robots.check']);
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
