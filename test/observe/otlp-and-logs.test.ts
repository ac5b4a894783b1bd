import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { channel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { startObservability, type Observability } from '../../src/observe/index.js';
import { batchConfigFromEnv } from '../../src/observe/tracing.js';
import { tempDir } from '../helpers/tmp.js';
import { fetchAll, startWeb, type Web } from './harness.js';

let web: Web | undefined;
let obs: Observability | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await obs?.close();
  await web?.close();
  obs = undefined;
  web = undefined;
  for (const c of cleanups.splice(0)) await c();
});

const base = { serviceName: 'jarvix-otlp-test', runId: 'r1', worker: 'w1', processMetrics: false };

interface Received {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

async function otlpReceiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('observe: OTLP export and log lines', () => {
  it('sends the spans to the OTLP endpoint named by OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const otlp = await otlpReceiver();
    web = await startWeb({ hosts: 2, pagesPerHost: 5, faults: 0 });
    obs = await startObservability({ ...base, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url } });
    expect(obs.tracing).toBe(true);
    const urls = web.web.seedUrls(4);
    await fetchAll(web.fetcher, urls);
    await obs.close(); // flushes the batch
    const posts = otlp.received.filter((r) => r.path === '/v1/traces');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts[0]!.body.length).toBeGreaterThan(0);
    // The -http exporter speaks OTLP/JSON.
    const text = posts.map((p) => p.body.toString('utf8')).join('\n');
    expect(posts[0]!.contentType).toContain('application/json');
    expect(text).toContain('jarvix-otlp-test');
    for (const u of urls) expect(text).toContain(u);
  });

  it('exports while running (before close), takes its schedule from OTEL_BSP_*, and refuses a bad one', async () => {
    const otlp = await otlpReceiver();
    web = await startWeb({ hosts: 1, pagesPerHost: 5, faults: 0 });
    obs = await startObservability({ ...base, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url } });
    await fetchAll(web.fetcher, web.web.seedUrls(1));
    // Spans reach the endpoint without close(): the batch goes out on the processor's schedule.
    // (How soon is measured by bench/otlp-schedule.ts; tests assert no timings.)
    for (let i = 0; i < 500 && otlp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(otlp.received.length).toBeGreaterThan(0);
    await obs.close();
    expect(batchConfigFromEnv({}).scheduledDelayMillis).toBe(100);
    expect(batchConfigFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '3000' }).scheduledDelayMillis).toBe(3000);
    await expect(startObservability({ ...base, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: 'often' } })).rejects.toMatchObject({
      code: 'JVX_ERR_OBSERVE_OTEL_CONFIG',
      variable: 'OTEL_BSP_SCHEDULE_DELAY',
    });
  });

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, and stays off when the SDK is disabled', async () => {
    const otlp = await otlpReceiver();
    web = await startWeb({ hosts: 1, pagesPerHost: 5, faults: 0 });
    obs = await startObservability({ ...base, env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.url}/custom/traces` } });
    await fetchAll(web.fetcher, web.web.seedUrls(2));
    await obs.close();
    expect(otlp.received.map((r) => r.path)).toContain('/custom/traces');
    obs = await startObservability({ ...base, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SDK_DISABLED: 'true' } });
    expect(obs.tracing).toBe(false);
  });

  it('writes JSON log lines to the log file at the chosen level, with run and worker on each', async () => {
    const tmp = await tempDir();
    cleanups.push(tmp.cleanup);
    const logFile = join(tmp.dir, 'logs', 'collect.jsonl');
    web = await startWeb({ hosts: 1, pagesPerHost: 5, faults: 0 });
    obs = await startObservability({ ...base, logLevel: 'debug', logFile });
    const urls = web.web.seedUrls(3);
    await fetchAll(web.fetcher, urls);
    channel('jarvix:checkpoint:commit').publish({ seq: 1, worker: 'w1', urls: 3, shards: 1, durationMs: 12 });
    channel('jarvix:stages:dead-letter').publish({ url: urls[0], stage: 'extract', errorCode: 'JVX_ERR_STAGE_TIMEOUT', message: 'hung' });
    await obs.close();
    const lines = (await readFile(logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of lines) expect(l).toMatchObject({ service: 'jarvix-otlp-test', run: 'r1', worker: 'w1' });
    expect(lines.filter((l) => l.msg === 'fetch').map((l) => l.url).sort()).toEqual([...urls].sort());
    expect(lines.find((l) => l.msg === 'checkpoint committed')).toMatchObject({ level: 30, seq: 1, urls: 3 });
    expect(lines.find((l) => l.msg === 'dead letter')).toMatchObject({ level: 40, errorCode: 'JVX_ERR_STAGE_TIMEOUT', stage: 'extract' });

    // At info, no per-fetch lines.
    const infoFile = join(tmp.dir, 'info.jsonl');
    obs = await startObservability({ ...base, logFile: infoFile });
    await fetchAll(web.fetcher, urls);
    channel('jarvix:checkpoint:commit').publish({ seq: 2, worker: 'w1', urls: 3, shards: 1, durationMs: 5 });
    await obs.close();
    const info = (await readFile(infoFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(info.map((l) => l.msg)).toEqual(['checkpoint committed']);
  });

  it('survives a malformed message: counted, never thrown into the publisher', async () => {
    obs = await startObservability({ ...base });
    channel('jarvix:fetch:end').publish(null);
    channel('jarvix:frontier:sizes').publish({ pending: 5, leased: 2, done: 10, failed: 1 });
    const text = await obs.metricsText();
    expect(text).toMatch(/jarvix_observe_handler_errors_total\{[^}]*\} 1/);
    expect(text).toMatch(/jarvix_frontier_urls\{state="pending"[^}]*\} 5/);
  });
});
