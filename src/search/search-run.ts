import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SearchIndexMissingError } from './errors.js';
import { ftsExpression } from './fts-expr.js';
import { better, idf, IndexReader, type Candidate, type ScanResult } from './index-reader.js';
import { normalizeSite, parseQuery, type Atom } from './query-parser.js';
import { resolveSearchOptions, type SearchOptions } from './options.js';
import { makeSnippet, snippetHtml } from './snippet.js';

export const SEARCH_DIR = 'search';
export const INDEX_SUFFIX = '.sqlite';

export interface SearchHit {
  url: string;
  title: string | null;
  host: string | null;
  /** ISO 8601 UTC, null when the page has no fetch time. */
  captureTime: string | null;
  /** The page's score (0..100) from scoring, null when unscored. */
  score: number | null;
  action: string | null;
  /** The search ranking value: bm25 + static rank weight (docs/search.md). */
  relevance: number;
  snippet: string;
  /** [start, end) of each matched word in `snippet`. */
  marks: [number, number][];
  /** `snippet` HTML-escaped with `<mark>` around matched words. */
  snippetHtml: string;
  /** Link into replay: `/web/<14-digit UTC timestamp>/<url>`. */
  replay: string | null;
}

export interface SearchResponse {
  query: string;
  /** Matching pages: exact when `totalExact`, otherwise a lower bound (the matches read). */
  total: number;
  totalExact: boolean;
  /** Whether the ranking of this page of results is the exact ranking over all matches. */
  exact: boolean;
  offset: number;
  limit: number;
  results: SearchHit[];
  tookMs: number;
}

/**
 * Search over one or more run folders, each with one index file per worker in `RUN/search/`.
 * Readers stay open between queries (a server keeps one of these); index files that appear later
 * (a new worker, a rebuild) are picked up at the next query.
 */
export class RunSearcher {
  readonly #dirs: readonly string[];
  #readers = new Map<string, IndexReader>();

  constructor(runDirs: string | readonly string[]) {
    this.#dirs = typeof runDirs === 'string' ? [runDirs] : runDirs;
  }

  search(query: string, options?: Partial<SearchOptions>): SearchResponse {
    const started = performance.now();
    const o = resolveSearchOptions(options);
    const parsed = parseQuery(query);
    const sites = [...parsed.sites, ...(o.host === undefined ? [] : [normalizeSite(o.host, o.host, 0)])];
    const readers = this.#refresh();
    const positive: Atom[] = parsed.must.flatMap((c) => c.any);
    const docs = readers.reduce((n, r) => n + r.docs, 0);
    const tokens = readers.reduce((n, r) => n + r.tokens, 0);
    const atoms = positive.map((atom) => ({ atom, idf: idf(docs, readers.reduce((n, r) => n + r.docFreq(atom), 0)) }));
    const keep = o.offset + o.limit;
    const expr = ftsExpression({ ...parsed, sites: [] }, { sites, actions: o.action === undefined ? [] : [o.action] });
    const plan = { expr, atoms, avgLen: docs === 0 ? 1 : tokens / docs, keep, budget: o.candidateBudget, rankWeight: o.rankWeight, fromMs: o.fromMs, toMs: o.toMs };
    const scans: { reader: IndexReader; result: ScanResult }[] = readers.map((reader) => ({ reader, result: reader.scan(plan) }));
    const merged: { reader: IndexReader; c: Candidate }[] = scans.flatMap((s) => s.result.top.map((c) => ({ reader: s.reader, c })));
    merged.sort((a, b) => (better(a.c, b.c) ? -1 : better(b.c, a.c) ? 1 : a.reader.file < b.reader.file ? -1 : 1));
    const page = merged.slice(o.offset, keep);
    const results = page.map(({ reader, c }) => hit(reader, c, positive));
    return {
      query,
      total: scans.reduce((n, s) => n + s.result.scanned, 0),
      totalExact: scans.every((s) => s.result.complete),
      exact: scans.every((s) => s.result.exact),
      offset: o.offset,
      limit: o.limit,
      results,
      tookMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
  }

  close(): void {
    for (const r of this.#readers.values()) r.close();
    this.#readers.clear();
  }

  #refresh(): IndexReader[] {
    const files = this.#dirs.flatMap((d) => indexFiles(d));
    if (files.length === 0) throw new SearchIndexMissingError(this.#dirs.join(', '));
    const next = new Map<string, IndexReader>();
    for (const f of files) next.set(f, this.#readers.get(f) ?? new IndexReader(f));
    for (const [f, r] of this.#readers) if (!next.has(f)) r.close();
    this.#readers = next;
    return [...next.values()];
  }
}

/** One query, opening and closing the indexes (a long-lived caller keeps a RunSearcher instead). */
export function searchRun(runDirs: string | readonly string[], query: string, options?: Partial<SearchOptions>): SearchResponse {
  const s = new RunSearcher(runDirs);
  try {
    return s.search(query, options);
  } finally {
    s.close();
  }
}

/** Index files of a run folder: `search/<worker>.sqlite`. */
export function indexFiles(runDir: string): string[] {
  try {
    return readdirSync(join(runDir, SEARCH_DIR))
      .filter((f) => f.endsWith(INDEX_SUFFIX) && !f.startsWith('.'))
      .sort()
      .map((f) => join(runDir, SEARCH_DIR, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function hit(reader: IndexReader, c: Candidate, atoms: readonly Atom[]): SearchHit {
  const d = reader.db.prepare('SELECT url, title, host, fetch_ms, score, action, text FROM docs WHERE id = ?').get(c.id) as {
    url: string; title: string | null; host: string | null; fetch_ms: number | null; score: number | null; action: string | null; text: string;
  };
  const snip = makeSnippet(d.text, atoms);
  const time = d.fetch_ms === null ? null : new Date(d.fetch_ms);
  return {
    url: d.url,
    title: d.title,
    host: d.host,
    captureTime: time === null ? null : time.toISOString(),
    score: d.score,
    action: d.action,
    relevance: Math.round(c.score * 1e4) / 1e4,
    snippet: snip.text,
    marks: snip.marks,
    snippetHtml: snippetHtml(snip),
    replay: time === null ? null : `/web/${replayStamp(time)}/${d.url}`,
  };
}

/** 14-digit UTC timestamp, as in Wayback URLs and CDXJ. */
export function replayStamp(t: Date): string {
  return t.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
