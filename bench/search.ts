/**
 * Search benchmark (issue 14): full-text search over a run in under 10 ms.
 *
 *   node --import tsx bench/search.ts [--pages 1000000] [--queries 1000] [--quality-queries 200] [--budget 1024]
 *
 * Builds one index file directly from synthetic pages (no crawl): a 60,000-word vocabulary drawn
 * with a Zipf law (s = 1.0), 150-token texts, 6-token titles, 3,000 hosts, scores, actions and
 * capture times. Then runs a query log (1-3 terms mixing common and rare words, phrases, prefixes,
 * site:/action/time filters) through RunSearcher, as `jarvix search` does, snippets included.
 *
 * Prints one JSON line: build pages/s (CPU of the build on this one thread), index bytes per page,
 * query latency p50/p95/p99, and quality: mean top-10 overlap with (a) exhaustive bm25 (every
 * match scored, no static rank) and (b) our ranking (bm25 + static rank) computed over every match.
 * The baseline in the same process is that exhaustive bm25: its latency and our speed-up over it.
 * (FTS5's own bm25() is no baseline here: on a contentless table it has no document lengths.)
 * Throws when a check fails: the index holds every page once; every result matches its query.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { IndexWriter, openIndex, type IndexDoc } from '../src/search/index-store.js';
import { RunSearcher, SEARCH_DIR } from '../src/search/search-run.js';
import { mkdirSync } from 'node:fs';
import { Rng } from '../src/testweb/prng.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const PAGES = arg('pages', 1_000_000);
const QUERIES = arg('queries', 1000);
const QUALITY = Math.min(arg('quality-queries', 200), QUERIES);
const BUDGET = arg('budget', 1024);
const VOCAB = 60_000;
const HOSTS = 3000;
const BATCH = 1000;

/** A seeded PRNG (the synthetic web's mulberry32), so every run is the same. */
function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

const rnd = prng(14);
const SYL = ['ka', 'ro', 'mi', 'ten', 'sa', 'lo', 'ver', 'an', 'du', 'pri', 'ste', 'no', 'gal', 'ix', 'bel', 'ur', 'zo', 'qua', 'fen', 'tho', 'ly', 'mar', 'ce', 'ob'];
const words: string[] = [];
const seen = new Set<string>();
while (words.length < VOCAB) {
  const n = 1 + Math.floor(rnd() * 4);
  let w = '';
  for (let i = 0; i < n; i++) w += SYL[Math.floor(rnd() * SYL.length)];
  if (w.length >= 3 && !seen.has(w)) {
    seen.add(w);
    words.push(w);
  }
}
// Zipf(s = 1): cumulative weights 1/r, sampled by binary search.
const cdf = new Float64Array(VOCAB);
let acc = 0;
for (let r = 0; r < VOCAB; r++) cdf[r] = acc += 1 / (r + 1);
function zipfWord(): string {
  const x = rnd() * acc;
  let lo = 0;
  let hi = VOCAB - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return words[lo]!;
}
function sentence(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(zipfWord());
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}
const T0 = Date.UTC(2026, 10, 1);
function page(i: number): IndexDoc {
  const host = `h${Math.floor(rnd() * HOSTS)}.bench.test`;
  const parts: string[] = [];
  for (let left = 150; left > 0; ) {
    const n = Math.min(left, 8 + Math.floor(rnd() * 12));
    parts.push(sentence(n));
    left -= n;
  }
  const score = Math.round(100 * rnd() ** 1.5 * 100) / 100;
  const a = rnd();
  return {
    url: `https://${host}/p/${i}`,
    title: sentence(6),
    host,
    fetchMs: T0 + Math.floor(rnd() * 30 * 86_400_000),
    score,
    quality: score / 100,
    action: a < 0.1 ? 'BUY' : a < 0.4 ? 'MONITOR' : 'SKIP',
    text: parts.join(' '),
    linkRank: null,
  };
}

async function main(): Promise<void> {
  const keepAt = process.argv.indexOf('--keep');
  const dir = keepAt > 0 ? process.argv[keepAt + 1]! : await mkdtemp(join(tmpdir(), 'jarvix-bench-search-'));
  const load = loadavg();
  try {
    mkdirSync(join(dir, SEARCH_DIR));
    const file = join(dir, SEARCH_DIR, 'bench.sqlite');
    const db = openIndex(file);
    const writer = new IndexWriter(db);
    const samples: string[] = [];
    let cpuBuild = 0;
    let wallBuild = 0;
    for (let i = 0; i < PAGES; i += BATCH) {
      const docs: IndexDoc[] = [];
      for (let j = i; j < Math.min(PAGES, i + BATCH); j++) docs.push(page(j));
      if (i % 5000 === 0) samples.push(docs[0]!.text);
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      writer.add('bench', i / BATCH + 1, i / BATCH + 1, docs);
      wallBuild += performance.now() - w0;
      const c = process.cpuUsage(c0);
      cpuBuild += (c.user + c.system) / 1000;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const count = db.prepare('SELECT count(*) AS n, count(DISTINCT url) AS u FROM docs').get() as { n: number; u: number };
    if (count.n !== PAGES || count.u !== PAGES) throw new Error(`index holds ${count.n} rows for ${count.u} urls, expected ${PAGES}`);
    db.close();
    const bytes = (await stat(file)).size;

    const log = queryLog(samples);
    const searcher = new RunSearcher(dir);
    // Warm-up: the page cache and the prepared statements, as a serving process has them.
    for (const q of log.slice(0, 50)) searcher.search(q.q, q.o);
    const times: number[] = [];
    let results = 0;
    for (const q of log) {
      const t0 = performance.now();
      const r = searcher.search(q.q, { ...q.o, candidateBudget: BUDGET });
      times.push(performance.now() - t0);
      results += r.results.length;
      checkResults(q.q, r.results.map((h) => `${h.title ?? ''}\n${h.snippet}`), q.o.host);
    }
    times.sort((a, b) => a - b);
    const pct = (p: number): number => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]! * 1000) / 1000;

    // Quality and the baseline on a sample of the log: the same query scored over every match.
    let overlapBm25 = 0;
    let overlapOwn = 0;
    let exactShare = 0;
    const baseTimes: number[] = [];
    const sample = log.filter((q) => q.o.from === undefined).slice(0, QUALITY);
    for (const q of sample) {
      const ours = searcher.search(q.q, { ...q.o, candidateBudget: BUDGET });
      const all = searcher.search(q.q, { ...q.o, candidateBudget: 10_000_000 });
      if (ours.exact) exactShare++;
      const t0 = performance.now();
      const bm = searcher.search(q.q, { ...q.o, candidateBudget: 10_000_000, rankWeight: 0 });
      baseTimes.push(performance.now() - t0);
      const bmUrls = new Set(bm.results.map((h) => h.url));
      const mine = ours.results.map((h) => h.url);
      const denom = Math.min(10, bmUrls.size);
      overlapBm25 += denom === 0 ? 1 : mine.filter((u) => bmUrls.has(u)).length / denom;
      const allUrls = new Set(all.results.map((h) => h.url));
      const d2 = Math.min(10, allUrls.size);
      overlapOwn += d2 === 0 ? 1 : mine.filter((u) => allUrls.has(u)).length / d2;
    }
    searcher.close();
    baseTimes.sort((a, b) => a - b);
    const basePct = (p: number): number => Math.round(baseTimes[Math.min(baseTimes.length - 1, Math.floor((p / 100) * baseTimes.length))]! * 1000) / 1000;
    const out = {
      bench: 'search',
      pages: PAGES,
      queries: log.length,
      candidateBudget: BUDGET,
      loadavg1m: Math.round(load[0]! * 100) / 100,
      buildPagesPerSecondCpu: Math.round(PAGES / (cpuBuild / 1000)),
      buildPagesPerSecondWall: Math.round(PAGES / (wallBuild / 1000)),
      indexBytesPerPage: Math.round(bytes / PAGES),
      latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: pct(100) },
      resultsReturned: results,
      quality: {
        queries: sample.length,
        meanTop10OverlapExhaustiveBm25: Math.round((overlapBm25 / sample.length) * 1000) / 1000,
        meanTop10OverlapOwnRankingExhaustive: Math.round((overlapOwn / sample.length) * 1000) / 1000,
        exactShare: Math.round((exactShare / sample.length) * 1000) / 1000,
      },
      baselineExhaustiveMs: { p50: basePct(50), p99: basePct(99) },
      speedupP99: Math.round((basePct(99) / pct(99)) * 10) / 10,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    if (keepAt < 0) await rm(dir, { recursive: true, force: true });
  }
}

interface LoggedQuery {
  q: string;
  o: { host?: string; action?: 'BUY' | 'MONITOR' | 'SKIP'; from?: number; to?: number };
}

/** 1-3 words mixing common (rank < 200) and rarer words, phrases lifted from pages, prefixes, filters. */
function queryLog(samples: readonly string[]): LoggedQuery[] {
  const r = prng(7);
  const pick = (lo: number, hi: number): string => words[lo + Math.floor(r() * (hi - lo))]!;
  const common = (): string => pick(0, 200);
  const mid = (): string => pick(200, 5000);
  const rare = (): string => pick(5000, 40_000);
  const any = (): string => [common, mid, rare][Math.floor(r() * 3)]!();
  const out: LoggedQuery[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const k = r();
    if (k < 0.15) out.push({ q: common(), o: {} });
    else if (k < 0.3) out.push({ q: r() < 0.5 ? mid() : rare(), o: {} });
    else if (k < 0.5) out.push({ q: `${any()} ${any()}`, o: {} });
    else if (k < 0.6) out.push({ q: `${common()} ${common()}`, o: {} });
    else if (k < 0.7) out.push({ q: `${any()} ${any()} ${any()}`, o: {} });
    else if (k < 0.78) {
      const t = samples[Math.floor(r() * samples.length)]!.toLowerCase().replace(/[^a-z ]/g, '').split(' ');
      const at = Math.floor(r() * (t.length - 3));
      out.push({ q: `"${t.slice(at, at + 2 + Math.floor(r() * 2)).join(' ')}"`, o: {} });
    } else if (k < 0.82) out.push({ q: `${any()} OR ${any()}`, o: {} });
    else if (k < 0.85) out.push({ q: `${any()} -${common()}`, o: {} });
    else if (k < 0.88) out.push({ q: `${mid().slice(0, 4)}*`, o: {} });
    else if (k < 0.93) out.push({ q: `${any()} site:h${Math.floor(r() * HOSTS)}.bench.test`, o: {} });
    else if (k < 0.97) out.push({ q: any(), o: { action: (['BUY', 'MONITOR', 'SKIP'] as const)[Math.floor(r() * 3)]! } });
    else {
      const from = T0 + Math.floor(r() * 20) * 86_400_000;
      out.push({ q: any(), o: { from, to: from + 7 * 86_400_000 } });
    }
  }
  return out;
}

/** Each result of a plain word query shows the word (title or snippet): a wrong match fails the bench. */
function checkResults(q: string, shown: readonly string[], host: string | undefined): void {
  if (!/^[a-z]+$/.test(q) || host !== undefined) return;
  for (const s of shown) if (!s.toLowerCase().split(/[^a-z]+/).includes(q)) throw new Error(`a result of ${JSON.stringify(q)} does not show it: ${s.slice(0, 120)}`);
}

await main();
