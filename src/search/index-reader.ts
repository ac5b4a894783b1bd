import type Database from 'better-sqlite3';
import { indexStats, openIndex } from './index-store.js';
import { docIdOf, rankCeilingAt } from './static-rank.js';
import type { Atom } from './query-parser.js';

/** bm25 parameters (the usual ones, as FTS5's own bm25). */
const K1 = 1.2;
const B = 0.75;
/** Candidates read per step. */
const STEP = 64;

export interface ScoredAtom {
  readonly atom: Atom;
  /** Inverse document frequency over all of the run's indexes. */
  readonly idf: number;
}

export interface ScanPlan {
  readonly expr: string;
  readonly atoms: readonly ScoredAtom[];
  readonly avgLen: number;
  /** How many best candidates to keep (offset + limit). */
  readonly keep: number;
  readonly budget: number;
  readonly rankWeight: number;
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

export interface Candidate {
  /** The docs id. */
  readonly id: number;
  readonly bm25: number;
  readonly rank: number;
  readonly score: number;
}

export interface ScanResult {
  readonly top: Candidate[];
  /** Matches read; every match when `complete`. */
  readonly scanned: number;
  /** Every match was read: `scanned` is the exact count. */
  readonly complete: boolean;
  /** The top is the exact top of all matches (complete, or stopped when no later match could enter it). */
  readonly exact: boolean;
}

/**
 * A read-only view of one index file. `scan` walks matches in rowid order, which is descending
 * static rank, scoring each with bm25 + rankWeight × rank from its stored terms, and stops as soon
 * as no later match can enter the top (its rank ceiling plus the query's bm25 ceiling is below the
 * k-th score) or after `budget` candidates. bm25 never reads a whole posting list: document
 * frequencies come from the vocabulary table, term frequencies from the candidate's own terms.
 */
export class IndexReader {
  readonly file: string;
  readonly db: Database.Database;
  readonly docs: number;
  readonly tokens: number;
  readonly #df: Database.Statement;
  readonly #dfPrefix: Database.Statement;
  readonly #scan: Database.Statement;
  readonly #doc: Database.Statement;

  constructor(file: string) {
    this.file = file;
    this.db = openIndex(file, { readonly: true });
    const s = indexStats(this.db);
    this.docs = s.docs;
    this.tokens = s.tokens;
    this.#df = this.db.prepare("SELECT doc FROM vocab WHERE col = 'body' AND term = ?").pluck();
    this.#dfPrefix = this.db.prepare("SELECT sum(doc) FROM (SELECT doc FROM vocab WHERE col = 'body' AND term >= ? AND term < ? LIMIT 2000)").pluck();
    this.#scan = this.db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? AND rowid > ? ORDER BY rowid LIMIT ?').pluck();
    this.#doc = this.db.prepare('SELECT terms, rank, fetch_ms FROM docs WHERE id = ?');
  }

  /** Pages holding the atom; a phrase counts its rarest term's pages (an upper bound, cheap). */
  docFreq(a: Atom): number {
    let min = Infinity;
    a.terms.forEach((t, i) => {
      const n = a.prefix && i === a.terms.length - 1 ? Number(this.#dfPrefix.get(t, `${t}\uffff`) ?? 0) : Number(this.#df.get(t) ?? 0);
      min = Math.min(min, n);
    });
    return Math.min(min === Infinity ? 0 : min, this.docs);
  }

  scan(plan: ScanPlan): ScanResult {
    const top: Candidate[] = [];
    const ceiling = plan.atoms.reduce((s, a) => s + a.idf * (K1 + 1), 0);
    let after = -1;
    let scanned = 0;
    let read = 0;
    const timed = plan.fromMs !== null || plan.toMs !== null;
    const from = plan.fromMs ?? -Infinity;
    const to = plan.toMs ?? Infinity;
    for (;;) {
      const rows = this.#scan.all(plan.expr, after, STEP) as number[];
      read += rows.length;
      for (const rowid of rows) {
        const id = docIdOf(rowid);
        const d = this.#doc.get(id) as { terms: string; rank: number; fetch_ms: number | null };
        // The time window is checked here, on the docs row: FTS has no range over times.
        if (timed && (d.fetch_ms === null || d.fetch_ms < from || d.fetch_ms >= to)) continue;
        const bm25 = scoreBody(d.terms, plan.atoms, plan.avgLen);
        insertTop(top, { id, bm25, rank: d.rank, score: bm25 + plan.rankWeight * d.rank }, plan.keep);
        scanned++;
      }
      if (rows.length < STEP) return { top, scanned, complete: true, exact: true };
      after = rows.at(-1)!;
      const kth = top.length >= plan.keep ? top.at(-1)!.score : -Infinity;
      if (kth >= ceiling + plan.rankWeight * rankCeilingAt(after + 1)) return { top, scanned, complete: false, exact: true };
      if (read >= plan.budget) return { top, scanned, complete: false, exact: false };
    }
  }

  close(): void {
    this.db.close();
  }
}

/** bm25 of one page from its space-separated terms. */
export function scoreBody(body: string, atoms: readonly ScoredAtom[], avgLen: number): number {
  const padded = ` ${body} `;
  let len = 1;
  for (let i = body.indexOf(' '); i >= 0; i = body.indexOf(' ', i + 1)) len++;
  const norm = K1 * (1 - B + (B * len) / Math.max(1, avgLen));
  let s = 0;
  for (const { atom, idf } of atoms) {
    const tf = countOccurrences(padded, atom);
    if (tf > 0) s += (idf * tf * (K1 + 1)) / (tf + norm);
  }
  return s;
}

/** Occurrences of a term, phrase or prefix in ` t1 t2 … ` (terms never hold a space). */
export function countOccurrences(padded: string, a: Atom): number {
  const needle = ` ${a.terms.join(' ')}${a.prefix ? '' : ' '}`;
  let n = 0;
  for (let i = padded.indexOf(needle); i >= 0; i = padded.indexOf(needle, i + 1)) n++;
  return n;
}

export function idf(docs: number, df: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/** Keeps `top` sorted by score (then rowid, i.e. static rank) descending, at most `keep` long. */
function insertTop(top: Candidate[], c: Candidate, keep: number): void {
  if (top.length >= keep && !better(c, top.at(-1)!)) return;
  let i = top.length;
  while (i > 0 && better(c, top[i - 1]!)) i--;
  top.splice(i, 0, c);
  if (top.length > keep) top.pop();
}

export function better(a: Candidate, b: Candidate): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}
