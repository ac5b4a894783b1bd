// Dataset writer benchmark: `node --import tsx bench/dataset.ts [--rows N] [--checkpoint N] [--table chunks|pages|both]`
// Writes N rows through DatasetWriter (append → stage → publish per checkpoint, as collect does) and,
// as the baseline, the same rows as gzipped JSON lines. Each (table, writer) runs in its own child
// process so its peak RSS is its own; the parent reads every output back to check the row counts and
// prints one JSON object.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DatasetWriter, pageRowBase, readShard, type ChunkRow, type PageRow } from '../src/dataset/index.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    checkpoint: { type: 'string', default: '10000' },
    table: { type: 'string', default: 'both' },
    // internal: run one writer in this process
    child: { type: 'string' },
    dir: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const CHECKPOINT = Number(args.checkpoint);

// Deterministic word soup: compresses like prose (not like a repeated string).
let seed = 42;
const rand = (): number => {
  seed ^= seed << 13; // xorshift32
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const WORDS = Array.from({ length: 5000 }, (_, i) => i.toString(36) + 'abcdefghij'.slice(0, 1 + (i % 7)));
function text(bytes: number): string {
  let s = '';
  while (s.length < bytes) s += WORDS[Math.floor(rand() ** 2 * WORDS.length)] + ' ';
  return s.slice(0, bytes);
}

function chunkRows(from: number, n: number): ChunkRow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const t = text(2048);
    return { url: `https://host${i % 500}.example.com/page/${i}`, chunk_index: i % 8, text: t, char_start: 0, char_end: t.length, token_count: 512, sha1: i.toString(16).padStart(40, '0') };
  });
}

function pageRows(from: number, n: number): PageRow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      ...pageRowBase(`https://host${i % 500}.example.com/page/${i}?ref=${i % 13}`),
      depth: i % 3, fetch_time: 1_700_000_000_000 + i * 37, fetch_status: i % 20 === 0 ? 404 : 200,
      content_digest: `sha1:${i.toString(32).toUpperCase().padStart(32, 'A')}`, content_mime_type: 'text/html', content_charset: 'utf-8',
      content_languages: 'en', content_length: 20_000 + (i % 5000), warc_filename: `warc/w1-${String(Math.floor(i / 50_000)).padStart(6, '0')}.warc.gz`,
      warc_record_offset: i * 9000, warc_record_length: 8000 + (i % 997), duration_ms: 50 + (i % 400), attempts: 1,
      title: text(60), description: text(160), canonical_url: `https://host${i % 500}.example.com/page/${i}`, language: 'en',
      word_count: 300 + (i % 2000), outlink_count: i % 120, text_sha1: i.toString(16).padStart(40, '0'), simhash: i.toString(16).padStart(16, '0'),
      has_price: i % 3 === 0, price: i % 3 === 0 ? 9.99 + (i % 100) : null, currency: i % 3 === 0 ? 'EUR' : null, buy_intent: (i % 100) / 100,
      paywall: false, soft_404: false, quality: 0.5, score: i % 100, action: (['BUY', 'MONITOR', 'SKIP'] as const)[i % 3]!, confidence: 0.7, reason: 'price found',
    };
  });
}

/** Max RSS seen while fn runs (sampled; the writer awaits between row groups, so samples land). */
/** Wall and CPU time (all threads: zlib runs on the libuv pool) — CPU time is steadier on a shared machine. */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { result, seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: Math.round(peak / 2 ** 20) };
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const f of await readdir(dir)) n += (await stat(join(dir, f))).size;
  return n;
}


type Mode = 'parquet' | 'jsonl';
interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  /** Peak RSS while writing (sampled) and of the whole child process. */
  peakRssMb: number;
  maxRssMb: number;
  rssBeforeMb: number;
}

/** Child: generate the rows checkpoint by checkpoint and write them one way; only the writing is timed. */
async function child(table: 'chunks' | 'pages', mode: Mode, dir: string): Promise<ChildResult> {
  const make = table === 'chunks' ? chunkRows : pageRows;
  const rssBeforeMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
  let seconds = 0;
  let cpuSeconds = 0;
  let peakRssMb = 0;
  const add = (m: { seconds: number; cpuSeconds: number; peakRssMb: number }): void => {
    seconds += m.seconds;
    cpuSeconds += m.cpuSeconds;
    peakRssMb = Math.max(peakRssMb, m.peakRssMb);
  };
  if (mode === 'parquet') {
    const w = await DatasetWriter.open({ runDir: dir, worker: 'bench' });
    for (let from = 0, seq = 1; from < ROWS; from += CHECKPOINT, seq++) {
      const rows = make(from, Math.min(CHECKPOINT, ROWS - from));
      add(await measured(async () => {
        w.append(table, rows);
        await w.publish((await w.stage(seq)).shards);
      }));
    }
    await w.close();
  } else {
    const gz = createGzip();
    const out = createWriteStream(join(dir, `${table}.jsonl.gz`));
    gz.pipe(out);
    for (let from = 0; from < ROWS; from += CHECKPOINT) {
      const rows = make(from, Math.min(CHECKPOINT, ROWS - from));
      add(await measured(async () => {
        for (const r of rows) if (!gz.write(`${JSON.stringify(r)}\n`)) await once(gz, 'drain');
      }));
    }
    add(await measured(async () => {
      gz.end();
      await once(out, 'finish');
    }));
  }
  return { seconds, cpuSeconds, peakRssMb, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rssBeforeMb };
}

function runChild(table: string, mode: Mode, dir: string): ChildResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', `${table}:${mode}`, '--dir', dir, '--rows', String(ROWS), '--checkpoint', String(CHECKPOINT)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as ChildResult;
}

async function benchTable(table: 'chunks' | 'pages'): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-'));
  try {
    const pq = runChild(table, 'parquet', dir);
    const js = runChild(table, 'jsonl', dir);

    // Correctness: every row back, from both outputs.
    let parquetRows = 0;
    let last: unknown;
    const files = (await readdir(join(dir, table))).filter((f) => f.endsWith('.parquet')).sort();
    if ((await readdir(join(dir, table))).some((f) => f.endsWith('.tmp'))) throw new Error('temp shards left behind');
    for (const f of files) {
      for await (const batch of readShard(join(dir, table, f), { columns: ['url'] })) {
        parquetRows += batch.length;
        last = batch.at(-1)?.url;
      }
    }
    const wantLast = (table === 'chunks' ? chunkRows : pageRows)(ROWS - 1, 1)[0]!.url;
    let jsonRows = 0;
    for await (const _line of createInterface({ input: createReadStream(join(dir, `${table}.jsonl.gz`)).pipe(createGunzip()) })) jsonRows++;
    if (parquetRows !== ROWS) throw new Error(`parquet read back ${parquetRows} rows, wrote ${ROWS}`);
    if (last !== wantLast) throw new Error(`parquet last row ${String(last)}, expected ${wantLast}`);
    if (jsonRows !== ROWS) throw new Error(`jsonl read back ${jsonRows} rows, wrote ${ROWS}`);

    const parquetBytes = await dirBytes(join(dir, table));
    const jsonBytes = (await stat(join(dir, `${table}.jsonl.gz`))).size;
    const side = (r: ChildResult, bytes: number): Record<string, number> => ({
      rowsPerSec: Math.round(ROWS / r.seconds),
      rowsPerCpuSec: Math.round(ROWS / r.cpuSeconds),
      mb: +(bytes / 2 ** 20).toFixed(1),
      peakRssWritingMb: r.peakRssMb,
      maxRssMb: r.maxRssMb,
      rssBeforeMb: r.rssBeforeMb,
    });
    return {
      table,
      rows: ROWS,
      shards: files.length,
      parquetZstd: side(pq, parquetBytes),
      jsonlGzip: side(js, jsonBytes),
      speedRatio: +(js.seconds / pq.seconds).toFixed(2),
      cpuRatio: +(js.cpuSeconds / pq.cpuSeconds).toFixed(2),
      sizeRatio: +(parquetBytes / jsonBytes).toFixed(2),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (args.child) {
  const [table, mode] = args.child.split(':') as ['chunks' | 'pages', Mode];
  process.stdout.write(JSON.stringify(await child(table, mode, args.dir!)));
} else {
  const results = [];
  if (args.table === 'chunks' || args.table === 'both') results.push(await benchTable('chunks'));
  if (args.table === 'pages' || args.table === 'both') results.push(await benchTable('pages'));
  console.log(JSON.stringify({ bench: 'dataset', checkpointRows: CHECKPOINT, node: process.version, results }));
}
