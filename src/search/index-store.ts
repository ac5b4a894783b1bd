import Database from 'better-sqlite3';
import { SearchIndexInvalidError } from './errors.js';
import { metaTerms } from './fts-expr.js';
import { rowidFor, staticRank } from './static-rank.js';
import { termString } from './tokenize.js';

/**
 * One search index file (SQLite): `docs` holds what a result shows (url, title, time, score, the
 * text deflated for snippets); `fts` (FTS5, `ascii` tokenizer over the already folded terms) holds
 * the terms of title and text in column `body` and the filter terms in `meta`; `held` lists the
 * checkpoint seqs of one dataset worker whose pages are in, written in the same transaction as the
 * pages (docs/search.md, "Exactly once").
 */
export const SCHEMA_VERSION = 1;

export interface IndexDoc {
  url: string;
  title: string | null;
  host: string | null;
  fetchMs: number | null;
  score: number | null;
  quality: number | null;
  action: string | null;
  text: string;
  /** Link-rank percentile in [0, 1], null without a graph. */
  linkRank: number | null;
}

export interface IndexStats {
  docs: number;
  terms: number;
}

const DDL = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS held(worker TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY(worker, first)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, url TEXT NOT NULL, title TEXT, host TEXT, fetch_ms INTEGER, score REAL, action TEXT, rank REAL NOT NULL, seq INTEGER NOT NULL, terms TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS docs_seq ON docs(seq);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(body, meta, tokenize='ascii', content='', contentless_delete=1);
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab(fts, 'col');
`;

export function openIndex(file: string, o: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(file, o.readonly ? { readonly: true, fileMustExist: true } : {});
  try {
    if (!o.readonly) {
      db.pragma('journal_mode = WAL');
      // A process crash (kill -9) loses nothing committed in WAL mode; NORMAL only risks the last
      // transactions on power loss, which resume then redoes from the committed checkpoints.
      db.pragma('synchronous = NORMAL');
      db.exec(DDL);
      const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: number } | undefined;
      if (v === undefined) db.prepare("INSERT INTO meta VALUES ('schema', ?), ('docs', 0), ('tokens', 0), ('counter', 0)").run(SCHEMA_VERSION);
    }
    const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: number } | undefined;
    if (v?.value !== SCHEMA_VERSION) throw new SearchIndexInvalidError(file, `schema ${String(v?.value)}, this version reads ${SCHEMA_VERSION}`);
  } catch (err) {
    db.close();
    if (err instanceof SearchIndexInvalidError) throw err;
    throw new SearchIndexInvalidError(file, err instanceof Error ? err.message : String(err));
  }
  db.pragma('cache_size = -65536');
  return db;
}

/** Adds pages of one dataset worker's checkpoints (seqs first..last) in one transaction. */
export class IndexWriter {
  readonly #db: Database.Database;
  readonly #insDoc: Database.Statement;
  readonly #insFts: Database.Statement;
  readonly #insHeld: Database.Statement;
  readonly #getMeta: Database.Statement;
  readonly #setMeta: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insDoc = db.prepare('INSERT INTO docs(id, url, title, host, fetch_ms, score, action, rank, seq, terms, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.#insFts = db.prepare('INSERT INTO fts(rowid, body, meta) VALUES (?, ?, ?)');
    this.#insHeld = db.prepare('INSERT OR REPLACE INTO held(worker, first, last) VALUES (?, ?, ?)');
    this.#getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.#setMeta = db.prepare('UPDATE meta SET value = ? WHERE key = ?');
  }

  /** Pages and the seq range they come from, atomically: all of them and the `held` row, or nothing. */
  add(worker: string, first: number, last: number, docs: Iterable<IndexDoc>): number {
    return this.#db.transaction(() => {
      let counter = Number(this.#getMeta.get('counter'));
      let tokens = Number(this.#getMeta.get('tokens'));
      let n = 0;
      for (const d of docs) {
        const body = termString(d.title ? `${d.title}\n${d.text}` : d.text);
        const rank = staticRank({ score: d.score, quality: d.quality, linkRank: d.linkRank });
        const id = counter++;
        this.#insDoc.run(id, d.url, d.title, d.host, d.fetchMs, d.score, d.action, rank, first, body, d.text);
        this.#insFts.run(rowidFor(rank, id), body, metaTerms(d.host, d.action));
        tokens += body.length === 0 ? 0 : countSpaces(body) + 1;
        n++;
      }
      this.#insHeld.run(worker, first, last);
      this.#setMeta.run(counter, 'counter');
      this.#setMeta.run(tokens, 'tokens');
      this.#setMeta.run(Number(this.#getMeta.get('docs')) + n, 'docs');
      return n;
    })();
  }

  /** Removes the pages of seqs first..last (a held range whose checkpoint is not committed). */
  remove(worker: string, first: number, last: number): void {
    this.#db.transaction(() => {
      const rows = this.#db.prepare('SELECT id, rank, terms FROM docs WHERE seq BETWEEN ? AND ?').all(first, last) as { id: number; rank: number; terms: string }[];
      const delFts = this.#db.prepare('DELETE FROM fts WHERE rowid = ?');
      let tokens = Number(this.#getMeta.get('tokens'));
      for (const r of rows) {
        delFts.run(rowidFor(r.rank, r.id));
        tokens -= r.terms.length > 0 ? countSpaces(r.terms) + 1 : 0;
      }
      this.#db.prepare('DELETE FROM docs WHERE seq BETWEEN ? AND ?').run(first, last);
      this.#db.prepare('DELETE FROM held WHERE worker = ? AND first BETWEEN ? AND ?').run(worker, first, last);
      this.#setMeta.run(tokens, 'tokens');
      this.#setMeta.run(Number(this.#getMeta.get('docs')) - rows.length, 'docs');
    })();
  }
}

/** Seq ranges of `worker` held by the index. */
export function heldRanges(db: Database.Database, worker: string): { first: number; last: number }[] {
  return db.prepare('SELECT first, last FROM held WHERE worker = ? ORDER BY first').all(worker) as { first: number; last: number }[];
}

export function indexStats(db: Database.Database): { docs: number; tokens: number } {
  const get = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  return { docs: Number(get.get('docs')), tokens: Number(get.get('tokens')) };
}

export function countSpaces(s: string): number {
  let n = 0;
  for (let i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', i + 1)) n++;
  return n;
}
