import type BetterSqlite3 from 'better-sqlite3';
import { FrontierError } from './frontier-error.js';

/**
 * The frontier's SQLite schema (state.sqlite of a run).
 *
 *   urls     one row per URL ever added. Exact dedup: a lookup by url_hash (53-bit, indexed)
 *            that also compares the URL text, in the adding transaction. state 0 pending,
 *            1 leased (lease_owner, lease_until), 2 done. `not_before` is a retry's earliest time
 *            (0 = none); `attempts` counts retries.
 *   hosts    one row per politeness key: ready_at (no request starts before it), in_flight
 *            (= its rows in `slots`), pending and delayed (pending rows with not_before > 0)
 *            counters, optional policy (NULL = the default given at open), and `queue_at`: the
 *            earliest time the host can give out a URL, or NULL when it cannot (nothing pending,
 *            or every slot taken). queue_at = max(ready_at, earliest not_before of its pending).
 *   slots    one row per concurrency slot in use, owned by a lease (owner, url, lease_until).
 *            Separate from url state because a slot ends at releaseHost while the URL stays
 *            leased until its checkpoint commits. A dead worker's slots are freed by recover.
 *            The slot id is the lease's token (LeasedUrl.slot) that releaseHost names. No
 *            secondary indexes: the table holds only requests in flight, and every index would
 *            add a page write to each release, the most frequent call.
 *   checkpoints, stats (O(1) counts), meta (schema version, default policy).
 *
 * The "ready queue" is the partial index hosts(queue_at, id): lease() walks it from the oldest
 * ready host and takes each host's best pending URLs from urls(host_id, priority DESC, id)
 * WHERE state = 0. It never scans URLs or idle hosts, so it costs O(max × log n) with 1M pending
 * URLs over 10k hosts. Every write keeps the counters and queue_at exact in the same transaction.
 */
export const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hosts (
  id INTEGER PRIMARY KEY,
  host TEXT NOT NULL UNIQUE,
  ready_at INTEGER NOT NULL DEFAULT 0,
  in_flight INTEGER NOT NULL DEFAULT 0,
  pending INTEGER NOT NULL DEFAULT 0,
  delayed INTEGER NOT NULL DEFAULT 0,
  max_concurrent INTEGER,
  delay_ms INTEGER,
  queue_at INTEGER
);
CREATE INDEX IF NOT EXISTS hosts_queue ON hosts(queue_at, id) WHERE queue_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS urls (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  url_hash INTEGER NOT NULL,
  host_id INTEGER NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL DEFAULT 0,
  depth INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until INTEGER
);
-- Not UNIQUE(url): an index of whole URLs outgrows the page cache at a few 100k URLs and makes
-- every add a random disk read; the hash index is 5-10x smaller.
CREATE INDEX IF NOT EXISTS urls_hash ON urls(url_hash);
CREATE INDEX IF NOT EXISTS urls_pending ON urls(host_id, priority DESC, id) WHERE state = 0;
CREATE INDEX IF NOT EXISTS urls_delayed ON urls(host_id, not_before) WHERE state = 0 AND not_before > 0;
CREATE INDEX IF NOT EXISTS urls_lease_until ON urls(lease_until) WHERE state = 1;
CREATE INDEX IF NOT EXISTS urls_lease_owner ON urls(lease_owner) WHERE state = 1;
CREATE TABLE IF NOT EXISTS slots (
  -- AUTOINCREMENT: a slot id is a lease's token and must never be handed out twice.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  host_id INTEGER NOT NULL,
  url_id INTEGER NOT NULL,
  owner TEXT NOT NULL,
  lease_until INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
  id INTEGER PRIMARY KEY,
  worker TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  shards TEXT NOT NULL,
  warcs TEXT NOT NULL,
  counts TEXT NOT NULL,
  UNIQUE (worker, seq)
);
CREATE TABLE IF NOT EXISTS stats (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pending INTEGER NOT NULL,
  leased INTEGER NOT NULL,
  done INTEGER NOT NULL
);
INSERT OR IGNORE INTO stats (id, pending, leased, done) VALUES (1, 0, 0, 0);
`;

/**
 * WAL with synchronous=NORMAL: a killed process never loses a committed transaction (only an OS
 * crash can lose the last few), and readers (`jarvix status`) do not block the writer.
 */
export function initSchema(db: BetterSqlite3.Database, path: string, cacheKiB: number): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  // Bounded page cache: memory must not grow with the crawl (issue 3).
  db.pragma(`cache_size = -${Math.max(1024, Math.floor(cacheKiB))}`);
  db.transaction(() => {
    db.exec(DDL);
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined;
    if (row === undefined) {
      db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
    } else if (Number(row.value) !== SCHEMA_VERSION) {
      throw new FrontierError('JVX_ERR_FRONTIER_SCHEMA', `${path} has frontier schema ${row.value}, this jarvix reads ${SCHEMA_VERSION}`, { path });
    }
  }).immediate();
}
