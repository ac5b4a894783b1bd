import type BetterSqlite3 from 'better-sqlite3';

type Stmt = BetterSqlite3.Statement;

/**
 * Every statement the SQLite frontier runs, prepared once. `:defMax` is the default
 * maxConcurrent for hosts without their own policy.
 */
export interface Statements {
  hostId: Stmt;
  insertHost: Stmt;
  hostPolicy: Stmt;
  upsertPolicy: Stmt;
  /** Recomputes one host's queue_at from its counters (see sqlite-schema.ts). */
  requeue: Stmt;
  requeueAll: Stmt;
  addPending: Stmt;
  findUrl: Stmt;
  insertUrl: Stmt;
  readyHosts: Stmt;
  readyUrls: Stmt;
  markLeased: Stmt;
  insertSlot: Stmt;
  afterLease: Stmt;
  urlState: Stmt;
  markRetry: Stmt;
  markDone: Stmt;
  hostPendingDelta: Stmt;
  oldestSlot: Stmt;
  deleteSlot: Stmt;
  release: Stmt;
  expiredLeases: Stmt;
  workerLeases: Stmt;
  markPending: Stmt;
  freeSlots: Stmt;
  freeWorkerSlots: Stmt;
  inFlightDelta: Stmt;
  stats: Stmt;
  statsDelta: Stmt;
  minQueue: Stmt;
  lastSeq: Stmt;
  insertCheckpoint: Stmt;
  checkpoints: Stmt;
  lastCheckpoint: Stmt;
  meta: Stmt;
  setMeta: Stmt;
}

const QUEUE_AT = `CASE
  WHEN pending <= 0 OR in_flight >= COALESCE(max_concurrent, :defMax) THEN NULL
  WHEN pending > delayed THEN ready_at
  ELSE MAX(ready_at, COALESCE((SELECT MIN(not_before) FROM urls WHERE host_id = hosts.id AND state = 0 AND not_before > 0), 0))
END`;

export function prepareStatements(db: BetterSqlite3.Database): Statements {
  const p = (sql: string): Stmt => db.prepare(sql);
  return {
    hostId: p(`SELECT id FROM hosts WHERE host = ?`),
    insertHost: p(`INSERT INTO hosts (host) VALUES (?)`),
    hostPolicy: p(`SELECT max_concurrent AS maxConcurrent, delay_ms AS delayMs FROM hosts WHERE host = ?`),
    upsertPolicy: p(`INSERT INTO hosts (host, max_concurrent, delay_ms) VALUES (:host, :maxConcurrent, :delayMs)
      ON CONFLICT (host) DO UPDATE SET max_concurrent = excluded.max_concurrent, delay_ms = excluded.delay_ms`),
    requeue: p(`UPDATE hosts SET queue_at = ${QUEUE_AT} WHERE id = :id`),
    requeueAll: p(`UPDATE hosts SET queue_at = ${QUEUE_AT} WHERE pending > 0 OR queue_at IS NOT NULL`),
    // New URLs have no not_before, so the host is ready at ready_at if it has a free slot.
    addPending: p(`UPDATE hosts SET pending = pending + :n,
      queue_at = CASE WHEN in_flight < COALESCE(max_concurrent, :defMax) THEN ready_at ELSE NULL END WHERE id = :id`),
    findUrl: p(`SELECT 1 FROM urls WHERE url_hash = ? AND url = ?`),
    insertUrl: p(`INSERT INTO urls (url, url_hash, host_id, depth, priority) VALUES (?, ?, ?, ?, ?)`),
    readyHosts: p(`SELECT id, host, in_flight AS inFlight, COALESCE(max_concurrent, :defMax) AS maxConcurrent, queue_at AS queueAt
      FROM hosts WHERE queue_at <= :now AND (queue_at, id) > (:afterQueue, :afterId) ORDER BY queue_at, id LIMIT :limit`),
    readyUrls: p(`SELECT id, url, depth, attempts, not_before AS notBefore FROM urls
      WHERE host_id = ? AND state = 0 AND not_before <= ? ORDER BY priority DESC, id LIMIT ?`),
    markLeased: p(`UPDATE urls SET state = 1, not_before = 0, lease_owner = ?, lease_until = ? WHERE id = ?`),
    insertSlot: p(`INSERT INTO slots (host_id, url_id, owner, lease_until) VALUES (?, ?, ?, ?)`),
    afterLease: p(`UPDATE hosts SET in_flight = in_flight + :n, pending = pending - :n, delayed = delayed - :delayed WHERE id = :id`),
    urlState: p(`SELECT state, host_id AS hostId, not_before AS notBefore FROM urls WHERE id = ?`),
    markRetry: p(`UPDATE urls SET state = 0, not_before = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ?`),
    markDone: p(`UPDATE urls SET state = 2, not_before = 0, lease_owner = NULL, lease_until = NULL WHERE id = ?`),
    hostPendingDelta: p(`UPDATE hosts SET pending = pending + :pending, delayed = delayed + :delayed WHERE id = :id`),
    oldestSlot: p(`SELECT id FROM slots WHERE host_id = ? ORDER BY lease_until, id LIMIT 1`),
    deleteSlot: p(`DELETE FROM slots WHERE id = ? AND host_id = ?`),
    release: p(`UPDATE hosts SET in_flight = in_flight - :freed, ready_at = MAX(ready_at, :readyAt) WHERE id = :id`),
    expiredLeases: p(`SELECT id, host_id AS hostId FROM urls WHERE state = 1 AND lease_until < ?`),
    workerLeases: p(`SELECT id, host_id AS hostId FROM urls WHERE state = 1 AND lease_owner = ?`),
    markPending: p(`UPDATE urls SET state = 0, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 1`),
    freeSlots: p(`DELETE FROM slots WHERE lease_until < ? RETURNING host_id AS hostId`),
    freeWorkerSlots: p(`DELETE FROM slots WHERE owner = ? RETURNING host_id AS hostId`),
    inFlightDelta: p(`UPDATE hosts SET in_flight = in_flight + :n WHERE id = :id`),
    stats: p(`SELECT pending, leased, done FROM stats WHERE id = 1`),
    statsDelta: p(`UPDATE stats SET pending = pending + ?, leased = leased + ?, done = done + ? WHERE id = 1`),
    minQueue: p(`SELECT MIN(queue_at) AS q FROM hosts WHERE queue_at IS NOT NULL`),
    lastSeq: p(`SELECT MAX(seq) AS seq FROM checkpoints WHERE worker = ?`),
    insertCheckpoint: p(`INSERT INTO checkpoints (worker, seq, at, shards, warcs, counts) VALUES (?, ?, ?, ?, ?, ?)`),
    checkpoints: p(`SELECT worker, seq, at, shards, warcs, counts FROM checkpoints ORDER BY id`),
    lastCheckpoint: p(`SELECT worker, seq, at, shards, warcs, counts FROM checkpoints WHERE worker = ? ORDER BY seq DESC LIMIT 1`),
    meta: p(`SELECT value FROM meta WHERE key = ?`),
    setMeta: p(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
  };
}
