import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { channel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFetcher, type Fetcher, type FetchResult } from '../../src/fetch/index.js';
import { createAgent, parseResolveRule, type JarvixAgent } from '../../src/net/index.js';
import { RobotsCache } from '../../src/robots/index.js';
import type { StagePool } from '../../src/stages/index.js';
import { startTestWeb, type TestWeb, type TestWebInput } from '../../src/testweb/index.js';
import type { WarcWriter } from '../../src/warc/index.js';

/** The synthetic web on loopback with a fetcher that reaches it. */
export interface Web {
  web: TestWeb;
  agent: JarvixAgent;
  fetcher: Fetcher;
  close(): Promise<void>;
}

export async function startWeb(input: TestWebInput): Promise<Web> {
  const web = await startTestWeb({ latency: { kind: 'none' }, robots: {}, ...input });
  const agent = createAgent({ resolve: [parseResolveRule(web.resolveRule)], allowPrivate: true });
  const fetcher = createFetcher(agent, { userAgent: 'jarvix-test', headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, totalTimeoutMs: 10_000, maxBodyBytes: 1 << 20 });
  return {
    web,
    agent,
    fetcher,
    close: async () => {
      await agent.close();
      await web.close();
    },
  };
}

/** Fetches every URL, `concurrency` at a time, disposing the bodies. */
export async function fetchAll(fetcher: Fetcher, urls: readonly string[], concurrency = 8): Promise<FetchResult[]> {
  const results: FetchResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urls.length) {
        const res = await fetcher.fetch(urls[next++]!);
        results.push(res);
        for (const ex of res.exchanges) await ex.body.dispose();
      }
    }),
  );
  return results;
}

export function robotsFor(fetcher: Fetcher): RobotsCache {
  return new RobotsCache({
    userAgent: 'jarvix',
    fetchRobots: async (origin) => {
      const res = await fetcher.fetch(`${origin}/robots.txt`);
      const body = await res.decodeBody();
      for (const ex of res.exchanges) await ex.body.dispose();
      return { status: res.status, body: body ? body.bytes.toString('utf8') : null };
    },
  });
}

// What the collector publishes around its politeness sleep (the lead wires these into collect).
const waitStart = channel('jarvix:politeness:wait:start');
const waitEnd = channel('jarvix:politeness:wait:end');
let waitId = 0;

/**
 * One page the way collect's page task runs it: robots, politeness wait, fetch, archive every
 * exchange, stages for a 2xx HTML answer.
 */
export async function pageTask(
  o: { fetcher: Fetcher; robots: RobotsCache; archive: WarcWriter; stages: StagePool | null },
  url: string,
): Promise<FetchResult | null> {
  const verdict = await o.robots.check(url);
  if (!verdict.allowed) return null;
  const id = ++waitId;
  const host = new URL(url).hostname;
  waitStart.publish({ id, url, host, delayMs: 5 });
  await sleep(5);
  waitEnd.publish({ id, url, host, waitedMs: 5 });
  const res = await o.fetcher.fetch(url);
  try {
    for (let i = 0; i < res.exchanges.length; i++) {
      const ex = res.exchanges[i]!;
      await o.archive.writeExchange(ex, { redirectChain: i === res.exchanges.length - 1 ? res.redirectChain : undefined, fetchDurationMs: ex.durationMs, truncated: ex.truncated });
    }
    if (o.stages && res.status === 200 && !res.error) {
      const body = await res.decodeBody();
      if (body) await o.stages.process({ url: res.finalUrl, body: body.bytes, contentType: res.contentType, status: res.status, errorCode: null, attempts: 1 });
    }
  } finally {
    for (const ex of res.exchanges) await ex.body.dispose();
  }
  return res;
}

/** Prometheus text → value of one series (labels matched as a subset), summed over matches. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const pair of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) got[pair[1]!] = pair[2]!;
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

export async function scrape(url: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/**
 * Keeps every exported span, also after shutdown (InMemorySpanExporter forgets its spans when
 * the provider shuts down, which `Observability.close()` does).
 */
export class SpanCapture extends InMemorySpanExporter {
  readonly spans: ReadableSpan[] = [];
  override export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.spans.push(...spans);
    super.export(spans, done);
  }
}
