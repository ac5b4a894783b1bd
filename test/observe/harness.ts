import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFetcher, type Fetcher, type FetchResult } from '../../src/fetch/index.js';
import { createAgent, parseResolveRule, type JarvixAgent } from '../../src/net/index.js';
import { RobotsCache } from '../../src/robots/index.js';
import { Collector } from '../../src/collect/collector.js';
import { tempDir } from '../helpers/tmp.js';
import { startTestWeb, type TestWeb, type TestWebInput } from '../../src/testweb/index.js';

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

/**
 * A short real collect of `urls` against the synthetic web (one worker, SQLite frontier, WARC,
 * dataset): the events observe/ turns into spans are the collector's own, not the test's.
 */
export async function collectUrls(web: TestWeb, urls: readonly string[], o: { extract?: boolean; hostDelayMs?: number } = {}): Promise<{ runDir: string; cleanup: () => Promise<void> }> {
  const tmp = await tempDir();
  const input = join(tmp.dir, 'seeds.txt');
  await writeFile(input, urls.join('\n'));
  const summary = await new Collector({
    dataDir: tmp.dir,
    runId: 'r1',
    worker: 'w1',
    input,
    resolve: [parseResolveRule(web.resolveRule)],
    allowPrivate: true,
    hostDelayMs: o.hostDelayMs ?? 20,
    maxAttempts: 1,
    timeoutMs: 5_000,
    progress: 'none',
    extract: o.extract ?? false,
    extractThreads: 1,
  }).run();
  if (summary.interrupted) throw new Error('the collect was interrupted');
  return { runDir: join(tmp.dir, 'runs', 'r1'), cleanup: tmp.cleanup };
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
