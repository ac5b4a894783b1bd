import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseResolveRule } from '../../src/net/index.js';
import { runPaths } from '../../src/run/index.js';
import { scanTable } from '../../src/dataset/index.js';
import { verifyWarc } from '../../src/warc/index.js';
import { Collector } from '../../src/collect/collector.js';
import { resolveCollectOptions } from '../../src/collect/options.js';
import { openRunState } from '../../src/collect/open-frontier.js';
import { createNetwork, createRobots, openOutputs, taskContext } from '../../src/collect/assemble.js';
import { Checkpointer } from '../../src/collect/checkpointer.js';
import { Counters } from '../../src/collect/counters.js';
import { runPageTask } from '../../src/collect/page-task.js';
import { httpServer, type TestServer } from '../fetch/servers.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A redirect from a.test to a path b.test's robots.txt disallows. The server records every request
 * with its Host, so "never requested" is checked from its side, not from jarvix's verdicts.
 */
async function redirectSite(): Promise<TestServer> {
  return httpServer((req, res) => {
    const host = (req.headers.host ?? '').split(':')[0];
    const path = req.url ?? '/';
    if (path === '/robots.txt') {
      if (host === 'b.test') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\n');
      } else res.writeHead(404).end();
      return;
    }
    if (host === 'a.test' && path === '/go') {
      res.writeHead(302, { location: 'http://b.test/private/x' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>${host}${path}</title>`);
  });
}

async function pagesOf(runDir: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const batch of scanTable(runDir, 'pages')) rows.push(...batch);
  return rows;
}

describe('page task', () => {
  let site: TestServer;
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    site = await redirectSite();
    tmp = await tempDir();
  });
  afterAll(async () => {
    await site?.close();
    await tmp?.cleanup();
  });

  const options = (runId: string, input?: string) => ({
    dataDir: tmp.dir,
    runId,
    input,
    resolve: [parseResolveRule(`*.test:127.0.0.1:${site.port}`)],
    allowPrivate: true,
    hostDelayMs: 0,
    extract: false,
    progress: 'none' as const,
  });

  it('runs on its assembled context alone: a redirect hop disallowed by robots.txt is refused, never requested, and recorded', async () => {
    const opts = resolveCollectOptions(options('task'));
    const paths = runPaths(opts.dataDir, opts.runId);
    for (const d of [paths.warcDir, paths.indexDir, paths.pagesDir, paths.linksDir, paths.chunksDir, paths.errorsDir]) await mkdir(d, { recursive: true });
    const state = await openRunState(opts, paths, () => {});
    const net = createNetwork(opts);
    const outputs = await openOutputs(opts, paths, state.frontier, {});
    try {
      const robotsFetchedAt = new Map<string, number>();
      const robots = createRobots(opts, net, outputs.archive, null, robotsFetchedAt);
      const counters = new Counters();
      const checkpointer = new Checkpointer({
        frontier: state.frontier, dataset: outputs.dataset, archive: outputs.archive, runDir: paths.root, worker: opts.worker,
        lastSeq: 0, everyRecords: 100, intervalMs: 60_000, leaseGuardMs: 0, counts: () => counters.toRecord(),
      });
      const ctx = taskContext(opts, net, outputs, robots, {
        frontier: state.frontier, checkpointer, counters, robotsFetchedAt, poke: () => {}, defer: () => {}, reportOverload: () => {},
      });
      site.seen.length = 0;
      await state.frontier.add([{ url: 'http://a.test/go', depth: 0 }]);
      const [lease] = await state.frontier.lease(1, { now: Date.now(), leaseMs: 60_000, worker: opts.worker });
      await runPageTask(ctx, lease!);
      await checkpointer.close();

      expect(site.seen).not.toContain('GET /private/x');
      expect(site.seen).toContain('GET /go');
      const pages = await pagesOf(paths.root);
      expect(pages).toHaveLength(1);
      expect(pages[0]).toMatchObject({ url: 'http://a.test/go', fetch_status: 302, error_code: 'JVX_ERR_FETCH_REDIRECT_REFUSED' });
      expect(String(pages[0]!.error_message)).toContain('JVX_ERR_ROBOTS_DISALLOWED');
      // robots.txt of both hosts and the redirect itself are archived, whole.
      await outputs.archive.close();
      const warc = pages[0]!.warc_filename as string;
      const check = await verifyWarc(join(paths.root, warc));
      expect(check.problems).toEqual([]);
      expect(check.records).toBeGreaterThanOrEqual(1 + 3 * 3);
      expect(counters.failed).toBe(1);
    } finally {
      await outputs.close();
      await net.agent.close();
      await state.frontier.close();
    }
  });

  it('refuses the same redirect hop through a whole collect', async () => {
    const input = join(tmp.dir, 'seeds.txt');
    await writeFile(input, 'http://a.test/go\nhttp://b.test/open\n');
    site.seen.length = 0;
    const summary = await new Collector(options('whole', input)).run();
    expect(summary.counts).toMatchObject({ pages: 2, fetched: 1, failed: 1 });
    expect(site.seen).not.toContain('GET /private/x');
    expect(site.seen).toContain('GET /open');
    const pages = await pagesOf(runPaths(tmp.dir, 'whole').root);
    const go = pages.find((p) => p.url === 'http://a.test/go');
    expect(go).toMatchObject({ fetch_status: 302, error_code: 'JVX_ERR_FETCH_REDIRECT_REFUSED' });
  });
});
