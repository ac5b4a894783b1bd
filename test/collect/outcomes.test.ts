import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FAULT_KINDS, startTestWeb, type FaultKind, type RobotsVariant, type TestWeb } from '../../src/testweb/index.js';
import { parseResolveRule } from '../../src/net/index.js';
import { Collector } from '../../src/collect/collector.js';
import { openRunDatabase } from '../../src/query/index.js';
import { tempDir } from '../helpers/tmp.js';

interface Row {
  url: string;
  fetch_status: number | null;
  fetch_redirect: string | null;
  content_truncated: string | null;
  error_code: string | null;
  attempts: number | null;
  title: string | null;
  warc_filename: string | null;
}

/**
 * Every fault kind and robots.txt variant of the synthetic web ends in the outcome a demanding user
 * expects, recorded with a code, and the server's own record shows politeness was kept.
 */
describe('collect: every fault kind and robots variant ends in a recorded outcome', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  const byFault = new Map<FaultKind, string[]>();
  const byRobots = new Map<RobotsVariant, string[]>();
  let rows: Map<string, Row>;

  beforeAll(async () => {
    web = await startTestWeb({
      hosts: 60,
      seed: 21,
      pagesPerHost: 400,
      latency: { kind: 'none' },
      faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0.04])),
      hugeBodyBytes: 4 * 1024 * 1024,
      gzipBombBytes: 64 * 1024 * 1024,
      slowDripChunkDelayMs: 400,
      crawlDelaySeconds: 0.3,
      retryAfterSeconds: 1,
    });
    tmp = await tempDir();
    // Two URLs per fault kind on hosts whose robots.txt lets them through, at most two faulty URLs
    // per host (a host failing again and again is backed off, which is another test); two to four
    // URLs per robots variant.
    for (let round = 0; round < 2; round++) {
      for (let h = 0; h < web.options.hosts; h++) {
        const variant = web.model.host(h).robots.variant;
        if (variant !== 'allowAll' && variant !== 'crawlDelay' && variant !== 'notFound') continue;
        for (let p = 20 + round * 190; p < 200 + round * 190; p++) {
          const fault = web.model.fault(h, p);
          const kind = web.model.page(h, p).kind;
          if (kind === 'pdf' || kind === 'json' || fault === null || (byFault.get(fault)?.length ?? 0) >= 2) continue;
          byFault.set(fault, [...(byFault.get(fault) ?? []), web.url(h, p)]);
          break;
        }
      }
    }
    for (let h = 0; h < web.options.hosts; h++) {
      const variant = web.model.host(h).robots.variant;
      const list = byRobots.get(variant) ?? [];
      if (list.length < 4) byRobots.set(variant, [...list, web.url(h, 0), web.url(h, 10), web.url(h, 1)].slice(0, 4));
    }
    const urls = [...new Set([...[...byFault.values()].flat(), ...[...byRobots.values()].flat()])];
    const input = join(tmp.dir, 'seeds.txt');
    await writeFile(input, urls.join('\n'));
    const collector = new Collector({
      dataDir: tmp.dir,
      runId: 'outcomes',
      input,
      resolve: [parseResolveRule(web.resolveRule)],
      allowPrivate: true,
      hostDelayMs: 20,
      timeoutMs: 1_500,
      robotsTimeoutMs: 1_000,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 1_500,
      maxBodyBytes: 512 * 1024,
      progress: 'none',
      checkpointEveryRecords: 20,
    });
    await collector.run();
    const db = await openRunDatabase(join(tmp.dir, 'runs', 'outcomes'));
    try {
      const list = (await db.query(
        'SELECT url, fetch_status, fetch_redirect, content_truncated, error_code, attempts, title, warc_filename FROM pages',
      )) as unknown as Row[];
      expect(list).toHaveLength(urls.length);
      rows = new Map(list.map((r) => [r.url, r]));
    } finally {
      await db.close();
    }
  }, 180_000);
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  const rowsOf = (kind: FaultKind): Row[] => {
    const urls = byFault.get(kind);
    expect(urls?.length, `no URL with fault ${kind}`).toBeGreaterThan(0);
    return urls!.map((u) => rows.get(u)!);
  };

  it.each(['http500', 'http429', 'http503', 'reset', 'hang'] as const)('%s: transient, retried, then fetched', (kind) => {
    for (const r of rowsOf(kind)) {
      expect(r.fetch_status, r.url).toBe(200);
      expect(r.error_code, r.url).toBeNull();
      expect(r.attempts, r.url).toBeGreaterThanOrEqual(2);
      expect(r.warc_filename, r.url).not.toBeNull();
    }
  });

  it('slowDrip: stopped by the timeout, recorded with a timeout code', () => {
    for (const r of rowsOf('slowDrip')) {
      expect(r.error_code, r.url).toMatch(/^JVX_ERR_FETCH_TIMEOUT/);
      expect(r.attempts, r.url).toBe(3);
    }
  });

  it('hugeBody and gzipBomb: cut at the caps and marked truncated', () => {
    for (const r of [...rowsOf('hugeBody'), ...rowsOf('gzipBomb')]) {
      expect(r.fetch_status, r.url).toBe(200);
      expect(r.content_truncated, r.url).toBe('length');
    }
  });

  it('redirectChain: followed to the end, the target recorded', () => {
    for (const r of rowsOf('redirectChain')) {
      expect(r.fetch_status, r.url).toBe(200);
      expect(r.fetch_redirect, r.url).toBe(web.describe(r.url).finalUrl);
    }
  });

  it('redirectLoop: detected and recorded', () => {
    for (const r of rowsOf('redirectLoop')) expect(r.error_code, r.url).toBe('JVX_ERR_FETCH_REDIRECT_LOOP');
  });

  it('badCharset, invalidUtf8, malformedHtml: fetched and extracted all the same', () => {
    for (const kind of ['badCharset', 'invalidUtf8', 'malformedHtml'] as const) {
      for (const r of rowsOf(kind)) {
        expect(r.fetch_status, r.url).toBe(200);
        expect(r.title, r.url).toBe(web.describe(r.url).title);
      }
    }
  });

  it('wrongContentLength: the early close is recorded', () => {
    for (const r of rowsOf('wrongContentLength')) {
      expect(r.error_code === 'JVX_ERR_FETCH_RESET' || r.content_truncated === 'disconnect', r.url).toBe(true);
    }
  });

  it('robots.txt: disallowed and unreachable are refused and never requested; 404 and malformed allow all', () => {
    for (const [variant, urls] of byRobots) {
      for (const url of urls) {
        const r = rows.get(url)!;
        const truth = web.describe(url);
        const requested = web.record.hosts.get(truth.host)?.requests.some((q) => q.path === truth.path) ?? false;
        if (variant === 'serverError' || variant === 'timeout' || !truth.robotsAllowed) {
          expect(r.error_code, `${variant} ${url}`).toBe('JVX_ERR_ROBOTS_DISALLOWED');
          expect(requested, `${variant} ${url} was requested`).toBe(false);
        } else {
          expect(r.error_code === 'JVX_ERR_ROBOTS_DISALLOWED', `${variant} ${url}`).toBe(false);
          expect(requested, `${variant} ${url}`).toBe(true);
        }
      }
    }
    expect(byRobots.get('disallow')?.some((u) => rows.get(u)!.error_code === 'JVX_ERR_ROBOTS_DISALLOWED')).toBe(true);
  });

  it('the server saw one request at a time per host, and Crawl-delay kept between them', () => {
    for (const [host, rec] of web.record.hosts) {
      expect(rec.maxConcurrentRequests, host).toBeLessThanOrEqual(1);
      const index = web.model.hostIndex(host)!;
      if (web.model.host(index).robots.variant === 'crawlDelay' && rec.requests.length > 1) {
        expect(web.record.minGapMs(host), host).toBeGreaterThanOrEqual(300 * 0.95);
      }
    }
  });
});
