import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collect/collector.js';
import { hostOutcome } from '../../src/fetch/index.js';
import { parseResolveRule } from '../../src/net/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { RobotsCache } from '../../src/robots/index.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A failure is reported with its real cause, and a policy refusal is not held against the host:
 * regressions from a user's tries (an https:// URL on a plain-HTTP host said "robots.txt
 * unreachable"; seven redirects refused by policy backed the whole host off for 32 s).
 */
describe('collect: real causes, and policy refusals that do not hurt the host', () => {
  let server: Server;
  let port: number;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  const backoffs: { host: string }[] = [];
  const onBackoff = (m: unknown): void => void backoffs.push(m as { host: string });
  let pages: Map<string, { error_code: string | null; error_message: string | null }>;
  let errors: { url: string; error_code: string; message: string }[];

  beforeAll(async () => {
    // Plain HTTP only: robots.txt 404 (allow all), /r/N redirects to a denied domain, the rest 200.
    server = createServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      if (req.url?.startsWith('/r/')) return res.writeHead(302, { location: `http://denied.test:${port}/landing` }).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><title>ok</title></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    tmp = await tempDir();
    const redirects = Array.from({ length: 7 }, (_, i) => `http://redirecting.test:${port}/r/${i}`);
    const input = join(tmp.dir, 'seeds.txt');
    await writeFile(input, [`https://plain.test:${port}/page`, ...redirects].join('\n'));
    subscribe('jarvix:host:backoff', onBackoff);
    try {
      await new Collector({
        dataDir: tmp.dir,
        runId: 'causes',
        input,
        resolve: [parseResolveRule('*.test:127.0.0.1')],
        allowPrivate: true,
        denyDomains: ['denied.test'],
        hostDelayMs: 0,
        timeoutMs: 5_000,
        maxAttempts: 1,
        progress: 'none',
      }).run();
    } finally {
      unsubscribe('jarvix:host:backoff', onBackoff);
    }
    const db = await openRunDatabase(join(tmp.dir, 'runs', 'causes'));
    try {
      const rows = (await db.query('SELECT url, error_code, error_message FROM pages')) as { url: string; error_code: string | null; error_message: string | null }[];
      pages = new Map(rows.map((r) => [r.url, r]));
      errors = (await db.query("SELECT url, error_code, message FROM errors WHERE stage = 'fetch'")) as typeof errors;
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await tmp?.cleanup();
  });

  it('https:// against a plain-HTTP server: the TLS failure named in the pages row', () => {
    const url = `https://plain.test:${port}/page`;
    const row = pages.get(url);
    // Refused as RFC 9309 says (robots.txt unreachable: disallow), with the real cause.
    expect(row?.error_code).toBe('JVX_ERR_ROBOTS_DISALLOWED');
    expect(row?.error_message, row?.error_message ?? '').toMatch(/^robots\.txt unreachable, so not fetched: https:\/\/plain\.test:\d+\/robots\.txt: .*(SSL|ssl|TLS|tls|wrong version).* \[JVX_ERR_FETCH_TLS\]$/);
    expect(errors.filter((e) => e.url === url)).toEqual([]);
  });

  it('redirects refused by policy are recorded per URL, and never back the host off', () => {
    for (let i = 0; i < 7; i++) {
      expect(pages.get(`http://redirecting.test:${port}/r/${i}`)?.error_code).toBe('JVX_ERR_FETCH_REDIRECT_REFUSED');
    }
    expect(backoffs.filter((b) => b.host === 'redirecting.test')).toEqual([]);
  });
});

describe('hostOutcome: what a fetch says about its host', () => {
  const error = (code: string) => ({ code, message: '', retryable: false });
  it('a refusal by the SSRF guard or the policy says nothing against the host', () => {
    expect(hostOutcome({ status: null, error: error('JVX_ERR_POLICY_PRIVATE_ADDRESS') }, false)).toBeNull();
    expect(hostOutcome({ status: 302, error: { ...error('JVX_ERR_FETCH_REDIRECT_REFUSED'), refusedCode: 'JVX_ERR_POLICY_PRIVATE_ADDRESS' } }, false)).toBe('ok');
    expect(hostOutcome({ status: 302, error: error('JVX_ERR_FETCH_REDIRECT_REFUSED') }, false)).toBe('ok');
  });
  it('transport failures and overload still count', () => {
    expect(hostOutcome({ status: null, error: error('JVX_ERR_FETCH_REFUSED') }, false)).toBe('failure');
    expect(hostOutcome({ status: 503, error: error('JVX_ERR_HTTP_5XX') }, true)).toBe('overload');
    expect(hostOutcome({ status: 200, error: null }, false)).toBe('ok');
  });
});

describe('RobotsCache: an unreachable robots.txt keeps its cause', () => {
  // A real DNS failure needs a resolver off loopback; the fetcher's ENOTFOUND → JVX_ERR_FETCH_DNS
  // mapping is fetch-errors.ts's. What this checks is that the cause reaches the verdict.
  it('a DNS failure is passed on as the verdict’s cause', async () => {
    const rc = new RobotsCache({
      userAgent: 'jarvix',
      fetchRobots: async () => ({ status: null, body: null, error: 'JVX_ERR_FETCH_DNS', errorMessage: 'http://gone.test/robots.txt: getaddrinfo ENOTFOUND gone.test (ENOTFOUND)' }),
    });
    expect(await rc.check('http://gone.test/a')).toEqual({
      allowed: false,
      source: 'unreachable (JVX_ERR_FETCH_DNS): disallow all',
      unreachable: { code: 'JVX_ERR_FETCH_DNS', message: 'http://gone.test/robots.txt: getaddrinfo ENOTFOUND gone.test (ENOTFOUND)' },
    });
  });
});
