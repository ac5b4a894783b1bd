/**
 * Serve bench: a run of N captures (default 1,000,000: 100,000 URLs x 10 captures, each pointing
 * at one of 2,000 real gzip WARC records), indexed into the capture index, then served:
 * time to first byte of `id_` and of rewritten HTML, CDX exact-URL latency, memory at 100k and
 * at N captures, and diff latency on pages of up to 100 KB of text. Baseline in the same process:
 * TTFB of a bare node:http server answering a fixed buffer over the same kind of connection.
 *   node --import tsx bench/serve.ts [--captures 1000000] [--requests 400]
 * Prints one JSON line; throws if a response is wrong (bytes, line counts, rewriting).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { numberArg } from '../src/bench/args.js';
import { percentiles } from '../src/bench/stats.js';
import { diffLines, htmlBlocks } from '../src/replay/index.js';
import { openArchive, startServer } from '../src/serve/index.js';
import { base32 } from '../src/warc/index.js';

const CAPTURES = numberArg('captures', 1_000_000);
const REQUESTS = numberArg('requests', 400);
const PER_URL = 10;
const RECORDS = 2000;
const WORDS = 'archive page text capture replay index crawler market price quality network design garden travel energy'.split(' ');

function pageHtml(i: number, bytes: number): string {
  const parts = [`<!doctype html><html><head><title>Page ${i}</title><link rel="stylesheet" href="/s.css"></head><body><h1>Page ${i}</h1>`];
  let n = parts[0]!.length;
  for (let p = 0; n < bytes; p++) {
    const words = Array.from({ length: 40 }, (_, k) => WORDS[(i * 7 + p * 13 + k * 3) % WORDS.length]).join(' ');
    const s = `<p>${words} <a href="/p/${(i + p) % 1000}">link ${p}</a> <img src="img/${p}.png" srcset="img/${p}.png 1x, img/${p}@2x.png 2x"></p>\n`;
    parts.push(s);
    n += s.length;
  }
  parts.push('</body></html>');
  return parts.join('');
}

function record(url: string, date: string, body: Buffer): Buffer {
  const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`);
  const block = Buffer.concat([head, body]);
  const digest = base32(createHash('sha1').update(body).digest());
  const warc = `WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: ${url}\r\nWARC-Date: ${date}\r\nWARC-Record-ID: <urn:uuid:${createHash('md5').update(url).digest('hex')}>\r\nWARC-Payload-Digest: sha1:${digest}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${block.length}\r\n\r\n`;
  return gzipSync(Buffer.concat([Buffer.from(warc), block, Buffer.from('\r\n\r\n')]));
}

/** A run folder with one WARC of RECORDS records and one sorted CDXJ of `captures` lines over them. */
async function buildRun(dataDir: string, id: string, captures: number): Promise<{ records: { offset: number; length: number; digest: string; body: Buffer }[] }> {
  const warcDir = join(dataDir, 'runs', id, 'warc');
  const indexDir = join(dataDir, 'runs', id, 'index');
  await mkdir(warcDir, { recursive: true });
  await mkdir(indexDir, { recursive: true });
  const records: { offset: number; length: number; digest: string; body: Buffer }[] = [];
  const parts: Buffer[] = [];
  let offset = 0;
  for (let r = 0; r < RECORDS; r++) {
    const body = Buffer.from(pageHtml(r, 4000 + (r % 8) * 2000));
    const gz = record(`http://bench.test/r/${r}`, '2024-01-01T00:00:00Z', body);
    records.push({ offset, length: gz.length, digest: base32(createHash('sha1').update(body).digest()), body });
    parts.push(gz);
    offset += gz.length;
  }
  await writeFile(join(warcDir, 'b.warc.gz'), Buffer.concat(parts));
  const out = createWriteStream(join(indexDir, 'b.warc.gz.cdxj'));
  const urls = captures / PER_URL;
  let buf = '';
  for (let u = 0; u < urls; u++) {
    const path = `/p/${String(u).padStart(7, '0')}`;
    for (let c = 0; c < PER_URL; c++) {
      const rec = records[(u * 3 + (c >> 1)) % RECORDS]!; // pairs of equal captures: the timeline collapses them
      const ts = `2024${String(1 + c).padStart(2, '0')}01000000`;
      buf += `test,bench)${path} ${ts} {"url":"http://bench.test${path}","mime":"text/html","status":"200","digest":"${rec.digest}","length":"${rec.length}","offset":"${rec.offset}","filename":"b.warc.gz"}\n`;
    }
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return { records };
}

function ttfb(agent: Agent, port: number, path: string): Promise<{ ms: number; status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const ms = performance.now() - t0;
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ ms, status: res.statusCode!, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function total(agent: Agent, port: number, path: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const r = await ttfb(agent, port, path);
  return { ms: performance.now() - t0, body: r.body.toString() };
}

const rssMB = (): number => {
  global.gc?.();
  return Math.round(process.memoryUsage().rss / 1048576);
};

async function measure(dataDir: string, id: string, captures: number, records: { digest: string; body: Buffer }[]): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const { context } = await openArchive({ dataDir, runs: [id], warcs: [], wacz: [] });
  const indexSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const server = await startServer(context, { port: 0 });
  const port = Number(new URL(server.url).port);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const urls = captures / PER_URL;
  const pick = (k: number): number => (k * 7919) % urls;
  const path = (u: number): string => `http://bench.test/p/${String(u).padStart(7, '0')}`;
  const idTimes: number[] = [];
  const htmlTimes: number[] = [];
  const cdxTimes: number[] = [];
  for (let k = 0; k < 20; k++) await ttfb(agent, port, `/web/20240101000000id_/${path(pick(k))}`); // warm-up
  for (let k = 0; k < REQUESTS; k++) {
    const u = pick(k + 100);
    const r = await ttfb(agent, port, `/web/20240101000000id_/${path(u)}`);
    const want = records[(u * 3) % RECORDS]!.body;
    if (r.status !== 200 || !r.body.equals(want)) throw new Error(`id_ of ${path(u)}: wrong payload (status ${r.status})`);
    idTimes.push(r.ms);
  }
  for (let k = 0; k < REQUESTS; k++) {
    const u = pick(k + 5000);
    const r = await ttfb(agent, port, `/web/20240301000000/${path(u)}`);
    if (r.status !== 200 || !r.body.toString().includes('/web/20240301000000im_/http://bench.test/p/')) throw new Error(`rewritten ${path(u)}: not rewritten (status ${r.status})`);
    htmlTimes.push(r.ms);
  }
  for (let k = 0; k < REQUESTS * 2; k++) {
    const u = pick(k + 9000);
    const r = await total(agent, port, `/cdx?url=${encodeURIComponent(path(u))}`);
    if (r.body.trim().split('\n').length !== PER_URL) throw new Error(`cdx of ${path(u)}: expected ${PER_URL} lines`);
    cdxTimes.push(r.ms);
  }
  const rss = rssMB();
  agent.destroy();
  await server.close();
  context.index.close();
  return { captures, indexSeconds, rssMB: rss, idTtfbMs: percentiles(idTimes), htmlTtfbMs: percentiles(htmlTimes), cdxExactMs: percentiles(cdxTimes) };
}

async function baselineTtfb(): Promise<Record<string, number>> {
  const body = Buffer.alloc(8000, 'x');
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let k = 0; k < REQUESTS; k++) times.push((await ttfb(agent, port, '/')).ms);
  agent.destroy();
  server.close();
  return percentiles(times);
}

function diffBench(): Record<string, unknown> {
  const times: number[] = [];
  let partial = 0;
  for (let k = 0; k < 30; k++) {
    const bytes = 20_000 + k * 2700; // up to ~100 KB of text
    const a = pageHtml(k, bytes);
    // A tenth of the paragraphs changed, some removed, some added.
    const b = a
      .split('\n')
      .map((l, i) => (i % 10 === 3 ? l.replace(/market|price/g, 'value') : i % 37 === 5 ? '' : i % 41 === 7 ? `${l}\n<p>new paragraph ${i}</p>` : l))
      .join('\n');
    const t0 = performance.now();
    const d = diffLines(htmlBlocks(a), htmlBlocks(b), 1000);
    times.push(performance.now() - t0);
    if (d.partial) partial++;
    if (d.lines.added === 0 || d.lines.removed === 0) throw new Error('diff found no change');
  }
  return { diffMs: percentiles(times), partial, textKB: [20, 98] };
}

const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-serve-'));
try {
  const small = await buildRun(dir, 'small', Math.min(100_000, CAPTURES));
  const at100k = await measure(dir, 'small', Math.min(100_000, CAPTURES), small.records);
  const big = await buildRun(dir, 'big', CAPTURES);
  const atN = await measure(dir, 'big', CAPTURES, big.records);
  const baseline = await baselineTtfb();
  const diff = diffBench();
  const n = atN as { rssMB: number; idTtfbMs: { p95: number }; htmlTtfbMs: { p95: number }; cdxExactMs: { p99: number } };
  const s = at100k as { rssMB: number };
  const d = diff as { diffMs: { p95: number } };
  const result = {
    bench: 'serve',
    at100k,
    atN,
    baselineStaticTtfbMs: baseline,
    idTtfbVsStaticP95: Math.round((n.idTtfbMs.p95 / Math.max(0.01, baseline.p95!)) * 10) / 10,
    rssGrowthRatio: Math.round((n.rssMB / s.rssMB) * 100) / 100,
    ...diff,
    targets: { idTtfbP95Under10ms: n.idTtfbMs.p95 < 10, htmlTtfbP95Under50ms: n.htmlTtfbMs.p95 < 50, cdxExactP99Under5ms: n.cdxExactMs.p99 < 5, diffP95Under100ms: d.diffMs.p95 < 100, memoryFlat: n.rssMB / s.rssMB < 1.5 },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
