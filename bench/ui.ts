/**
 * UI bench: a run of N pages (default 1,000,000 on 1,000 hosts, 2 links and 1 chunk per page) written
 * straight to Parquet shards by DuckDB, then served by `jarvix serve`: time to first byte of every
 * view that reads the run's dataset (runs list, overview, URL list first page / host filter / text
 * filter / deep keyset page, page view, links of a page and of a host). Baseline in the same
 * process: TTFB of a bare node:http server answering a fixed buffer over the same kind of connection.
 *   node --import tsx bench/ui.ts [--pages 1000000] [--requests 5]
 * Prints one JSON line; throws if a view answers anything but 200 or misses the data it must show.
 * Search and replay latencies are bench/search.ts's and bench/serve.ts's.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { numberArg } from '../src/bench/args.js';
import { percentiles } from '../src/bench/stats.js';
import { openArchive, startServer } from '../src/serve/index.js';

const PAGES = numberArg('pages', 1_000_000);
const REQUESTS = numberArg('requests', 5);
const SHARDS = 10;
const HOSTS = 1000;

const url = (i: string): string => `'http://site-' || (${i} % ${HOSTS}) || '.test/p/' || lpad(CAST(${i} AS VARCHAR), 7, '0')`;

/** Writes pages, links and chunks shards of a run folder with DuckDB (no row passes through JS). */
async function writeRun(root: string, pages: number): Promise<void> {
  for (const t of ['pages', 'links', 'chunks', 'index']) await mkdir(join(root, t), { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GiB' });
  const conn = await db.connect();
  const per = Math.ceil(pages / SHARDS);
  for (let s = 0; s < SHARDS; s++) {
    const lo = s * per;
    const hi = Math.min(pages, lo + per);
    if (lo >= hi) break;
    const range = `range(${lo}, ${hi}) r(i)`;
    const name = (t: string): string => `'${join(root, t, `${t}-bench-${String(s + 1).padStart(6, '0')}.parquet`)}'`;
    await conn.run(
      `COPY (SELECT ${url('i')} AS url, 'site-' || (i % ${HOSTS}) || '.test' AS url_host_name, 1 + (i % 3) AS depth,
        TIMESTAMP '2024-01-01' + to_seconds(i // 50) AS fetch_time, CAST(CASE WHEN i % 97 = 0 THEN 404 ELSE 200 END AS SMALLINT) AS fetch_status,
        CASE WHEN i % 97 = 0 THEN 'JVX_ERR_FETCH_HTTP_STATUS' END AS error_code, 'Page ' || i || ' of the bench' AS title,
        (i % 1000) / 10.0 AS score, CASE i % 3 WHEN 0 THEN 'BUY' WHEN 1 THEN 'MONITOR' ELSE 'SKIP' END AS action, 'bench' AS reason
        FROM ${range}) TO ${name('pages')} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await conn.run(
      `COPY (SELECT ${url('i')} AS src_url, ${url('(i * 7 + k) % ' + pages)} AS dst_url, 'link ' || k AS anchor_text, NULL::VARCHAR AS rel, false AS nofollow
        FROM ${range}, range(2) q(k)) TO ${name('links')} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await conn.run(
      `COPY (SELECT ${url('i')} AS url, 0 AS chunk_index, 'Chunk text of page ' || i AS text, 0 AS char_start, 20 AS char_end, 5 AS token_count, md5(CAST(i AS VARCHAR)) AS sha1
        FROM ${range}) TO ${name('chunks')} (FORMAT parquet, COMPRESSION zstd)`,
    );
  }
  conn.disconnectSync();
  db.closeSync();
}

function ttfb(agent: Agent, port: number, path: string): Promise<{ ms: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const ms = performance.now() - t0;
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ ms, status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function views(port: number, agent: Agent, n: number): Promise<Record<string, Record<string, number>>> {
  const mid = String(Math.floor(n / 2)).padStart(7, '0');
  const host = `site-${Math.floor(n / 2) % HOSTS}.test`;
  const page = `http://${host}/p/${mid}`;
  const list: [string, string, string][] = [
    ['runs', '/', 'big'],
    ['overview', '/runs/big', n.toLocaleString('en')],
    ['urls', '/runs/big/urls', 'http://site-0.test/p/0000000'],
    ['urls-host', `/runs/big/urls?host=${host}`, page.slice(0, 20)],
    ['urls-text', `/runs/big/urls?text=${mid}`, page],
    ['urls-deep', `/runs/big/urls?after=${encodeURIComponent(page)}`, 'next'],
    ['page', `/runs/big/page?url=${encodeURIComponent(page)}`, `Page ${Number(mid)} of the bench`],
    ['links-page', `/runs/big/links?url=${encodeURIComponent(page)}`, 'Outbound'],
    ['links-host', `/runs/big/links?host=${host}`, 'Outbound'],
  ];
  const out: Record<string, Record<string, number>> = {};
  for (const [name, path, must] of list) {
    const first = await ttfb(agent, port, path);
    if (first.status !== 200 || !first.body.includes(must)) throw new Error(`${path}: status ${first.status}, expected ${JSON.stringify(must)} in the answer`);
    const times: number[] = [];
    for (let k = 0; k < REQUESTS; k++) times.push((await ttfb(agent, port, path)).ms);
    out[name] = { first: Math.round(first.ms), ...percentiles(times, [0.5, 1]) };
  }
  return out;
}

async function baseline(agent: Agent): Promise<number> {
  const body = Buffer.alloc(2000, 'x');
  const s = createServer((_, res) => res.end(body));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  const times: number[] = [];
  for (let k = 0; k < 50; k++) times.push((await ttfb(agent, port, '/')).ms);
  s.close();
  return percentiles(times, [0.5]).p50!;
}

const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-ui-'));
try {
  const t0 = performance.now();
  await writeRun(join(dir, 'runs', 'big'), PAGES);
  const writeSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const { context } = await openArchive({ dataDir: dir, runs: ['big'], warcs: [], wacz: [] });
  const server = await startServer(context, { port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // The first page view starts the sorted copies (pages, chunks, links by source and by target) in the background; wait for them.
  const t1 = performance.now();
  const port = Number(new URL(server.url).port);
  await ttfb(agent, port, `/runs/big/page?url=${encodeURIComponent('http://site-0.test/p/0000000')}`);
  while ((await readdir(join(dir, 'cache', 'ui')).catch(() => [])).filter((f) => f.endsWith('.parquet')).length < 4) await new Promise((r) => setTimeout(r, 200));
  const sortSeconds = Math.round((performance.now() - t1) / 100) / 10;
  await new Promise((r) => setTimeout(r, 300));
  const ttfbMs = await views(Number(new URL(server.url).port), agent, PAGES);
  const bare = await baseline(agent);
  await server.close();
  context.index.close();
  const worst = Math.max(...Object.values(ttfbMs).map((v) => v.p50!));
  console.log(JSON.stringify({ bench: 'ui', pages: PAGES, writeSeconds, sortSeconds, requests: REQUESTS, ttfbMs, worstP50Ms: worst, bareNodeP50Ms: bare, worstOverBare: Math.round(worst / Math.max(bare, 0.01)), rssMB: Math.round(process.memoryUsage().rss / 1048576) }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
