/**
 * WARC bench: write N exchanges (request/response/metadata, gzip member per record), read them
 * back, index them (ours vs warcio.js), and look URLs up across the run index. Baselines in the
 * same run: raw gzip/gunzip of the same bytes, warcio.js's CDX indexer on the same file.
 *   node --import tsx bench/warc.ts [--records 20000] [--body-bytes 30000] [--lookups 20000]
 *     [--index-mb 0] [--lookup-records 1000000] [--lookup-files 32]
 * --index-mb N also indexes a .warc.gz of at least N MB (the written file, repeated) with both
 * indexers; --lookup-records builds a run index of that many CDXJ lines (no WARC needed for a
 * lookup) and measures lookup latency on it. Prints one JSON object; throws if any count is wrong.
 */
import { createReadStream, createWriteStream, openSync, readSync, closeSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { CDXIndexer } from 'warcio';
import { bodyFromBuffer } from '../src/http/body.js';
import type { HttpExchange } from '../src/http/exchange.js';
import { RunIndex, WarcReader, WarcWriter, cdxjEntriesOf, formatCdxj } from '../src/warc/index.js';
import { cdxjEntry } from '../src/warc/cdxj.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const RECORDS = arg('records', 20_000);
const BODY_BYTES = arg('body-bytes', 30_000);
const LOOKUPS = arg('lookups', 20_000);
const INDEX_MB = arg('index-mb', 0);
const LOOKUP_RECORDS = arg('lookup-records', 1_000_000);
const LOOKUP_FILES = arg('lookup-files', 32);
const WORDS = 'the of archive crawl page market price product company report data index record web html table link score'.split(' ');

let seed = 42;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

/** Body `i`, regenerated on demand (deterministic) so the bench never holds all bodies. */
function body(i: number): Buffer {
  seed = i + 1;
  const parts: string[] = [`<html><body><h1>page ${i}</h1><p>`];
  let n = parts[0]!.length;
  while (n < BODY_BYTES) {
    const w = WORDS[rand(WORDS.length)]!;
    parts.push(w, rand(12) === 0 ? '</p>\n<p>' : ' ');
    n += w.length + 1;
  }
  return Buffer.from(parts.join('').slice(0, BODY_BYTES));
}

const url = (i: number): string => `http://host${i % 500}.test/path/${i}?q=${i % 7}`;

function exchange(i: number, b: Buffer): HttpExchange {
  const u = new URL(url(i));
  return {
    url: u.href,
    method: 'GET',
    requestHead: Buffer.from(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUser-Agent: jarvix-bench\r\n\r\n`),
    httpVersion: '1.1',
    statusCode: 200,
    statusText: 'OK',
    rawHeaders: [],
    responseHead: Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${b.length}\r\n\r\n`),
    body: bodyFromBuffer(b),
    truncated: null,
    remoteAddress: '127.0.0.1',
    startedAt: Date.UTC(2024, 0, 1) + i * 1000,
    durationMs: 5,
  };
}

const mb = (bytes: number, ms: number): number => Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10;
const r3 = (ms: number): number => Math.round(ms * 1000) / 1000;
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function indexBoth(file: string): Promise<{ ours: number; theirs: number; oursMs: number; warcioMs: number }> {
  let t = performance.now();
  let ours = 0;
  for await (const e of cdxjEntriesOf(file)) if (e) ours++;
  const oursMs = performance.now() - t;
  t = performance.now();
  let theirs = 0;
  for await (const e of new CDXIndexer({ format: 'cdxj' }).iterIndex([{ filename: 'x', reader: createReadStream(file) }])) if (e) theirs++;
  const warcioMs = performance.now() - t;
  if (ours !== theirs) throw new Error(`index entries differ: ours ${ours}, warcio ${theirs}`);
  return { ours, theirs, oursMs, warcioMs };
}

/** A .warc.gz of at least `minMB` MB: `source` (one member per record) repeated. */
async function bigWarc(source: string, dest: string, minMB: number): Promise<number> {
  const chunk = await readFile(source);
  await writeFile(dest, chunk);
  let size = chunk.length;
  while (size < minMB * 1e6) {
    await appendFile(dest, chunk);
    size += chunk.length;
  }
  return size;
}

/**
 * A run index of `records` CDXJ lines over `files` files (as a run with that many WARCs has), built
 * directly: lookup only reads the index. Returns a URL picker for existing records.
 */
async function syntheticRunIndex(dir: string, records: number, files: number): Promise<(k: number) => string> {
  await mkdir(dir, { recursive: true });
  const u = (i: number): string => `https://www.shop${i % 5000}.test/product/${i}?ref=${i % 13}&page=${i % 3}`;
  const perFile = Math.ceil(records / files);
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    for (let i = f * perFile; i < Math.min(records, (f + 1) * perFile); i++) {
      lines.push(formatCdxj(cdxjEntry({ url: u(i), timestamp: '20240101000000', mime: 'text/html', status: '200', digest: 'SBMPL4ABCDEFGHIJKLMNOPQRSTUVWXYZ', length: 5000 + (i % 977), offset: i * 5000, filename: `f${f}.warc.gz` })));
    }
    lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    await writeFile(join(dir, `f${String(f).padStart(4, '0')}.warc.gz.cdxj`), `${lines.join('\n')}\n`);
  }
  return u;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-warc-'));
  try {
    // Baseline: gzip/gunzip the same body bytes, one member per body, one thread.
    let rawBytes = 0;
    let back = 0;
    let gzipMs = 0;
    let gunzipMs = 0;
    let genMs = 0;
    for (let i = 0; i < RECORDS; i++) {
      const t0 = performance.now();
      const b = body(i);
      const t1 = performance.now();
      const g = gzipSync(b);
      const t2 = performance.now();
      back += gunzipSync(g).length;
      gunzipMs += performance.now() - t2;
      gzipMs += t2 - t1;
      genMs += t1 - t0;
      rawBytes += b.length;
    }
    if (back !== rawBytes) throw new Error('baseline gunzip lost bytes');

    // Write: 64 concurrent writers, as collect's fetch tasks would call it.
    const warcDir = join(dir, 'warc');
    const indexDir = join(dir, 'index');
    let t = performance.now();
    const w = await WarcWriter.open({ dir: warcDir, indexDir, run: 'bench', worker: 'w1', maxFileBytes: 256 * 1024 * 1024 });
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < RECORDS) {
          const i = next++;
          await w.writeExchange(exchange(i, body(i)), { fetchDurationMs: 5, truncated: null });
        }
      }),
    );
    await w.close();
    // Generating the bodies is not the writer's work.
    const writeMs = performance.now() - t - genMs;
    const files = (await readdir(warcDir)).sort().map((n) => join(warcDir, n));
    let gzBytes = 0;
    for (const f of files) gzBytes += (await stat(f)).size;

    // Read back every record and its block.
    t = performance.now();
    let records = 0;
    let responses = 0;
    let blockBytes = 0;
    for (const f of files) {
      for await (const r of new WarcReader(f).records()) {
        records++;
        if (r.type === 'response') responses++;
        for await (const c of r.blockChunks()) blockBytes += c.length;
      }
    }
    const readMs = performance.now() - t;
    if (records !== RECORDS * 3 + files.length || responses !== RECORDS) throw new Error(`read ${records} records, ${responses} responses`);

    // Uncompressed WARC read speed.
    const plain = join(dir, 'plain.warc');
    await pipeline(createReadStream(files[0]!), createGunzip(), createWriteStream(plain));
    const plainBytes = (await stat(plain)).size;
    t = performance.now();
    let plainRecords = 0;
    for await (const r of new WarcReader(plain).records()) {
      plainRecords++;
      for await (const c of r.blockChunks()) void c;
    }
    const plainMs = performance.now() - t;

    // Indexing: ours vs warcio.js on the same first file.
    const { ours, theirs, oursMs: indexMs, warcioMs: warcioIndexMs } = await indexBoth(files[0]!);
    if (ours !== RECORDS) throw new Error(`indexed ${ours} of ${RECORDS} responses`);
    let big: Record<string, number> = {};
    if (INDEX_MB > 0) {
      const bigFile = join(dir, 'big.warc.gz');
      const bytes = await bigWarc(files[0]!, bigFile, INDEX_MB);
      const b = await indexBoth(bigFile);
      if (b.ours !== RECORDS * Math.round(bytes / (await stat(files[0]!)).size)) throw new Error(`big index: ${b.ours} entries`);
      big = { bigIndexMB: Math.round(bytes / 1e6), bigIndexEntries: b.ours, bigIndexMs: Math.round(b.oursMs), bigWarcioIndexMs: Math.round(b.warcioMs), bigIndexSpeedupVsWarcio: Math.round((b.warcioMs / b.oursMs) * 100) / 100 };
      await rm(bigFile);
    }

    // Lookups by URL over the run index.
    const index = await RunIndex.open(indexDir);
    const lat: number[] = [];
    t = performance.now();
    for (let k = 0; k < LOOKUPS; k++) {
      const i = rand(RECORDS);
      const s = performance.now();
      const hit = index.lookup(url(i));
      lat.push(performance.now() - s);
      if (!hit || hit.offset < 0) throw new Error(`lookup failed for ${url(i)}`);
    }
    const lookupMs = performance.now() - t;
    index.close();
    lat.sort((a, b) => a - b);

    // Lookup on a run of LOOKUP_RECORDS records; baseline: one 4 KiB positioned read.
    const bigIndexDir = join(dir, 'big-index');
    const bigUrl = await syntheticRunIndex(bigIndexDir, LOOKUP_RECORDS, LOOKUP_FILES);
    const runIndex = await RunIndex.open(bigIndexDir);
    const bigLat: number[] = [];
    const preadLat: number[] = [];
    const fd = openSync(join(bigIndexDir, (await readdir(bigIndexDir))[0]!), 'r');
    const probe = Buffer.alloc(4096);
    const fdSize = (await stat(join(bigIndexDir, (await readdir(bigIndexDir))[0]!))).size;
    for (let k = 0; k < LOOKUPS; k++) {
      const i = rand(LOOKUP_RECORDS);
      const s0 = performance.now();
      const hit = runIndex.lookup(bigUrl(i));
      bigLat.push(performance.now() - s0);
      if (!hit || hit.offset !== i * 5000) throw new Error(`1M lookup failed for ${bigUrl(i)}`);
      const s1 = performance.now();
      readSync(fd, probe, 0, 4096, rand(Math.max(1, fdSize - 4096)));
      preadLat.push(performance.now() - s1);
    }
    closeSync(fd);
    if (runIndex.lookup('https://absent.test/nothing')) throw new Error('lookup of an absent URL found something');
    runIndex.close();
    bigLat.sort((a, b) => a - b);
    preadLat.sort((a, b) => a - b);

    console.log(
      JSON.stringify({
        records: RECORDS,
        bodyBytes: BODY_BYTES,
        files: files.length,
        uncompressedBodyMB: Math.round(rawBytes / 1e5) / 10,
        warcGzMB: Math.round(gzBytes / 1e5) / 10,
        writeMBps: mb(rawBytes, writeMs),
        readGzMBps: mb(blockBytes, readMs),
        baselineGzipMBps: mb(rawBytes, gzipMs),
        baselineGunzipMBps: mb(rawBytes, gunzipMs),
        writeVsGzipRatio: Math.round((gzipMs / writeMs) * 100) / 100,
        readVsGunzipRatio: Math.round((gunzipMs / readMs) * 100) / 100,
        readPlainMBps: mb(plainBytes, plainMs),
        plainRecords,
        indexRecordsPerSec: Math.round(ours / (indexMs / 1000)),
        warcioIndexRecordsPerSec: Math.round(theirs / (warcioIndexMs / 1000)),
        indexSpeedupVsWarcio: Math.round((warcioIndexMs / indexMs) * 100) / 100,
        lookupsPerSec: Math.round(LOOKUPS / (lookupMs / 1000)),
        lookupP50Ms: Math.round(lat[Math.floor(lat.length * 0.5)]! * 1000) / 1000,
        lookupP99Ms: Math.round(lat[Math.floor(lat.length * 0.99)]! * 1000) / 1000,
        ...big,
        runLookupRecords: LOOKUP_RECORDS,
        runLookupFiles: LOOKUP_FILES,
        runLookupP50Ms: r3(pct(bigLat, 0.5)),
        runLookupP99Ms: r3(pct(bigLat, 0.99)),
        runLookupMaxMs: r3(bigLat.at(-1)!),
        baselinePreadP99Ms: r3(pct(preadLat, 0.99)),
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
