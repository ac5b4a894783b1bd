import Database from 'better-sqlite3';
import type { CdxjEntry } from '../warc/index.js';
import type { Capture } from './capture.js';
import { keyRanges, type MatchType } from './match.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS units (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, source TEXT NOT NULL, complete INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS warcs (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS captures (
  urlkey TEXT NOT NULL, ts TEXT NOT NULL, url TEXT NOT NULL, mime TEXT NOT NULL, status TEXT NOT NULL,
  digest TEXT NOT NULL, length INTEGER NOT NULL, offset INTEGER NOT NULL, filename TEXT NOT NULL,
  unit_id INTEGER NOT NULL, warc_id INTEGER NOT NULL, change REAL, dup INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS fingerprints (digest TEXT PRIMARY KEY, simhash TEXT);
CREATE TABLE IF NOT EXISTS touched (urlkey TEXT PRIMARY KEY) WITHOUT ROWID;
`;

const INDEXES = `
CREATE INDEX IF NOT EXISTS captures_key ON captures (urlkey, ts);
CREATE INDEX IF NOT EXISTS captures_digest ON captures (digest);
CREATE INDEX IF NOT EXISTS captures_unit ON captures (unit_id);
`;

const PAGE = 1000;
const COLUMNS = 'c.urlkey, c.ts, c.url, c.mime, c.status, c.digest, c.length, c.offset, c.filename, w.path AS warc_path, u.source, c.change, c.dup';
const FROM = 'captures c JOIN warcs w ON w.id = c.warc_id JOIN units u ON u.id = c.unit_id';

interface Row {
  urlkey: string;
  ts: string;
  url: string;
  mime: string;
  status: string;
  digest: string;
  length: number;
  offset: number;
  filename: string;
  warc_path: string;
  source: string;
  change: number | null;
  dup: number;
}

const toCapture = (r: Row): Capture => ({
  urlkey: r.urlkey,
  timestamp: r.ts,
  url: r.url,
  mime: r.mime,
  status: r.status,
  digest: r.digest,
  length: r.length,
  offset: r.offset,
  filename: r.filename,
  warcPath: r.warc_path,
  source: r.source,
  change: r.change,
  dup: r.dup === 1,
});

export interface CaptureQuery {
  matchType?: MatchType;
  /** 14-digit bounds, inclusive. */
  from?: string;
  to?: string;
  limit?: number;
}

/**
 * The capture index of every source served: one SQLite file on disk (a cache, rebuilt from the
 * archives at will). Lookups are B-tree range scans on (urlkey, ts); SQLite's page cache is
 * bounded, so memory does not grow with the index.
 */
export class CaptureIndex {
  readonly path: string;
  readonly db: Database.Database;
  readonly #stmts: {
    nearBefore: Database.Statement;
    nearAfter: Database.Statement;
    byDigest: Database.Statement;
    around: Database.Statement;
    aroundBefore: Database.Statement;
    count: Database.Statement;
  };

  #insert: Database.Statement | undefined;
  #bulk = false;

  constructor(path: string) {
    this.path = path;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // A bounded page cache (8 MB): the index lives on disk, not in the heap.
    this.db.pragma('cache_size = -8192');
    this.db.exec(SCHEMA);
    this.db.exec(INDEXES);
    this.#stmts = {
      nearBefore: this.db.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.urlkey = ? AND c.ts <= ? ORDER BY c.ts DESC, (c.url = ?) DESC LIMIT 1`),
      nearAfter: this.db.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.urlkey = ? AND c.ts >= ? ORDER BY c.ts ASC, (c.url = ?) DESC LIMIT 1`),
      byDigest: this.db.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.digest = ? AND c.mime != 'warc/revisit' ORDER BY (c.url = ?) DESC, abs(CAST(c.ts AS INTEGER) - CAST(? AS INTEGER)) LIMIT 1`),
      around: this.db.prepare('SELECT DISTINCT url FROM captures WHERE urlkey >= ? AND urlkey < ? ORDER BY urlkey LIMIT ?'),
      aroundBefore: this.db.prepare('SELECT DISTINCT url FROM captures WHERE urlkey < ? ORDER BY urlkey DESC LIMIT ?'),
      count: this.db.prepare('SELECT count(*) AS n FROM captures'),
    };
  }

  close(): void {
    this.db.close();
  }

  get captureCount(): number {
    return (this.#stmts.count.get() as { n: number }).n;
  }

  /**
   * Captures of `url` by match type, in key then time order. Read in pages of PAGE rows by keyset
   * (no statement stays open between pages: the connection is shared by every request, and an
   * open better-sqlite3 iterator would lock it while a slow client drains a response).
   */
  *query(url: string, q: CaptureQuery = {}): Generator<Capture> {
    let left = q.limit ?? Number.POSITIVE_INFINITY;
    for (const r of keyRanges(url, q.matchType ?? 'exact')) {
      const where = ['c.urlkey < ?'];
      const args: (string | number)[] = [r.to];
      if (q.from) {
        where.push('c.ts >= ?');
        args.push(q.from);
      }
      if (q.to) {
        where.push('c.ts <= ?');
        args.push(q.to);
      }
      const stmt = this.db.prepare(`SELECT ${COLUMNS}, c.rowid AS rid FROM ${FROM} WHERE (c.urlkey, c.ts, c.rowid) > (?, ?, ?) AND ${where.join(' AND ')} ORDER BY c.urlkey, c.ts, c.rowid LIMIT ?`);
      let after: [string, string, number] = [r.from, '', -1];
      for (;;) {
        const rows = stmt.all(...after, ...args, Math.min(PAGE, left)) as (Row & { rid: number })[];
        for (const row of rows) {
          yield toCapture(row);
          if (--left <= 0) return;
        }
        if (rows.length < PAGE) break;
        const last = rows.at(-1)!;
        after = [last.urlkey, last.ts, last.rid];
      }
    }
  }

  /** The capture of `url` nearest in time to `ts14` (ties: the earlier), or undefined. */
  nearest(url: string, urlkey: string, ts14: string): Capture | undefined {
    const before = this.#stmts.nearBefore.get(urlkey, ts14, url) as Row | undefined;
    if (before?.ts === ts14) return toCapture(before);
    const after = this.#stmts.nearAfter.get(urlkey, ts14, url) as Row | undefined;
    if (!before) return after && toCapture(after);
    if (!after) return toCapture(before);
    // 14-digit stamps are not linear in time: compare real distances.
    return msDistance(before.ts, ts14) <= msDistance(after.ts, ts14) ? toCapture(before) : toCapture(after);
  }

  /** The response (not revisit) with payload `digest`, preferring the same URL and the nearest time. */
  original(digest: string, url: string, ts14: string): Capture | undefined {
    const r = this.#stmts.byDigest.get(digest, url, ts14) as Row | undefined;
    return r && toCapture(r);
  }

  /** URLs whose keys sort near `urlkey`, same host first: the 404 page offers them. */
  closestUrls(urlkey: string, n = 8): string[] {
    const paren = urlkey.indexOf(')');
    const host = paren < 0 ? urlkey : urlkey.slice(0, paren + 1);
    const out = new Set<string>();
    for (const r of this.#stmts.around.all(urlkey, `${host}\u{10ffff}`, n) as { url: string }[]) out.add(r.url);
    for (const r of this.#stmts.aroundBefore.all(urlkey, n) as { url: string }[]) {
      if (out.size >= n) break;
      if (r.url && surtHostOf(r.url) === host) out.add(r.url);
    }
    if (out.size === 0) for (const r of this.#stmts.around.all(host.replace(/\)$/, ''), `${host.replace(/\)$/, '')}\u{10ffff}`, n) as { url: string }[]) out.add(r.url);
    return [...out].slice(0, n);
  }

  /** Sources with their capture counts (the home page lists them). */
  sources(): { source: string; captures: number; files: number }[] {
    return this.db
      .prepare('SELECT u.source AS source, count(c.rowid) AS captures, count(DISTINCT u.id) AS files FROM units u LEFT JOIN captures c ON c.unit_id = u.id GROUP BY u.source ORDER BY u.source')
      .all() as { source: string; captures: number; files: number }[];
  }

  // --- ingest side (see ingest.ts) ---

  /**
   * The first indexing of an empty index drops the secondary indexes and builds them once at the
   * end (`endBulk`): a sort is far cheaper than a million random B-tree inserts through a small
   * page cache. Later, incremental indexing keeps them.
   */
  beginBulk(): boolean {
    if (this.db.prepare('SELECT 1 FROM captures LIMIT 1').get() !== undefined) return false;
    this.db.exec('DROP INDEX IF EXISTS captures_key; DROP INDEX IF EXISTS captures_digest; DROP INDEX IF EXISTS captures_unit;');
    this.db.pragma('cache_size = -65536');
    this.#bulk = true;
    return true;
  }

  endBulk(): void {
    this.#bulk = false;
    this.db.exec(INDEXES);
    this.db.exec('INSERT OR IGNORE INTO touched (urlkey) SELECT DISTINCT urlkey FROM captures');
    this.db.exec('ANALYZE');
    this.db.pragma('cache_size = -8192');
  }

  /** Whether the unit (a CDXJ or WARC file) is indexed as it is now; if not, its old rows are dropped and its id returned. */
  beginUnit(path: string, size: number, mtimeMs: number, source: string): { id: number; fresh: boolean } {
    const row = this.db.prepare('SELECT id, size, mtime_ms, complete FROM units WHERE path = ?').get(path) as { id: number; size: number; mtime_ms: number; complete: number } | undefined;
    if (row && row.complete === 1 && row.size === size && row.mtime_ms === Math.floor(mtimeMs)) return { id: row.id, fresh: false };
    if (row) {
      this.db.prepare('INSERT OR IGNORE INTO touched (urlkey) SELECT urlkey FROM captures WHERE unit_id = ?').run(row.id);
      this.db.prepare('DELETE FROM captures WHERE unit_id = ?').run(row.id);
      this.db.prepare('UPDATE units SET size = ?, mtime_ms = ?, source = ?, complete = 0 WHERE id = ?').run(size, Math.floor(mtimeMs), source, row.id);
      return { id: row.id, fresh: true };
    }
    const r = this.db.prepare('INSERT INTO units (path, size, mtime_ms, source) VALUES (?, ?, ?, ?)').run(path, size, Math.floor(mtimeMs), source);
    return { id: Number(r.lastInsertRowid), fresh: true };
  }

  /** Marks the unit whole and its URLs as needing change scores (one pass, not one insert per row). */
  completeUnit(id: number): void {
    if (!this.#bulk) this.db.prepare('INSERT OR IGNORE INTO touched (urlkey) SELECT DISTINCT urlkey FROM captures WHERE unit_id = ?').run(id);
    this.db.prepare('UPDATE units SET complete = 1 WHERE id = ?').run(id);
  }

  warcId(path: string): number {
    this.db.prepare('INSERT OR IGNORE INTO warcs (path) VALUES (?)').run(path);
    return (this.db.prepare('SELECT id FROM warcs WHERE path = ?').get(path) as { id: number }).id;
  }

  /** Adds one batch of entries in one transaction; `warcOf` maps a CDXJ filename to its warcs id. */
  insert(unitId: number, entries: readonly CdxjEntry[], warcOf: (e: CdxjEntry) => number | undefined): number {
    const ins = (this.#insert ??= this.db.prepare('INSERT INTO captures (urlkey, ts, url, mime, status, digest, length, offset, filename, unit_id, warc_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'));
    let n = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        const warc = warcOf(e);
        if (warc === undefined) continue;
        ins.run(e.urlkey, e.timestamp, e.url, e.mime, e.status, e.digest || '-', e.length, e.offset, e.filename, unitId, warc);
        n++;
      }
    })();
    return n;
  }
}

function msDistance(a: string, b: string): number {
  const ms = (t: string): number => Date.UTC(Number(t.slice(0, 4)), Number(t.slice(4, 6)) - 1, Number(t.slice(6, 8)), Number(t.slice(8, 10)), Number(t.slice(10, 12)), Number(t.slice(12, 14)));
  return Math.abs(ms(a) - ms(b));
}

function surtHostOf(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^www\d*\./, '').split('.').reverse().join(',');
    return `${host}${u.port ? `:${u.port}` : ''})`;
  } catch {
    return '';
  }
}
