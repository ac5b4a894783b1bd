import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { errorMessage } from '../errors/index.js';
import { FrontierError } from './frontier-error.js';
import { initSchema } from './sqlite-schema.js';
import { checkAdd, checkInt, checkLeaseArgs, checkPolicy, checkTime, checkWorker, parseId } from './validate.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import { urlHash } from './url-hash.js';
import type { CheckpointRecord, Frontier, FrontierAdd, FrontierCounts, HostKey, HostPolicy, LeasedUrl } from './types.js';

/**
 * The embedded frontier: one SQLite file (schema and ready-queue design in sqlite-schema.ts).
 *
 * Politeness rules it enforces: a host gives out URLs only while fewer than its maxConcurrent
 * leases hold a slot and not before its ready_at; releaseHost frees the slot and pushes ready_at
 * to the caller's time (delay, Retry-After, backoff: the caller decides, the frontier remembers,
 * never moving it earlier). A retried URL waits for its own not_before. Hosts that have waited
 * longest go first; within a host, higher priority, then insertion order.
 *
 * better-sqlite3 is synchronous; the methods are async only to share the Frontier interface with
 * the Redis implementation. Every method is one transaction: a kill -9 at any moment leaves
 * either the whole call or none of it.
 */
export interface SqliteFrontierOptions {
  path: string;
  defaultHostPolicy: HostPolicy;
  /** SQLite page cache; bounded so memory does not grow with the crawl. Default 16 MiB. */
  cacheKiB?: number;
}

interface CheckpointRow {
  worker: string;
  seq: number;
  at: number;
  shards: string;
  warcs: string;
  counts: string;
}

const HOST_CACHE_MAX = 50_000;

export class SqliteFrontier implements Frontier {
  #db: BetterSqlite3.Database | undefined;
  readonly #s: Statements;
  readonly #defaults: HostPolicy;
  readonly #defMax: number;
  /** host → hosts.id; bounded (cleared when full), hosts are never deleted so entries never go stale. */
  readonly #hostIds = new Map<string, number>();
  readonly #tx: {
    add: (urls: readonly FrontierAdd[]) => number;
    lease: (max: number, now: number, leaseUntil: number, worker: string) => LeasedUrl[];
    release: (host: string, readyAt: number, slot: number | undefined) => void;
    retry: (id: number, notBefore: number) => void;
    commit: (ids: readonly string[], checkpoint: CheckpointRecord) => string[];
    recover: (now: number, worker: string | undefined) => number;
    setPolicy: (host: string, policy: HostPolicy) => void;
  };

  private constructor(db: BetterSqlite3.Database, defaults: HostPolicy) {
    this.#db = db;
    this.#defaults = defaults;
    this.#defMax = defaults.maxConcurrent;
    this.#s = prepareStatements(db);
    // BEGIN IMMEDIATE: take the write lock up front, so a concurrent reader never forces a retry.
    const tx = <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) => {
      const t = db.transaction(fn);
      return (...args: A) => t.immediate(...args);
    };
    this.#tx = {
      add: tx((urls: readonly FrontierAdd[]) => this.#add(urls)),
      lease: tx((max: number, now: number, until: number, worker: string) => this.#lease(max, now, until, worker)),
      release: tx((host: string, readyAt: number, slot: number | undefined) => this.#release(host, readyAt, slot)),
      retry: tx((id: number, notBefore: number) => this.#retry(id, notBefore)),
      commit: tx((ids: readonly string[], cp: CheckpointRecord) => this.#commit(ids, cp)),
      recover: tx((now: number, worker: string | undefined) => this.#recover(now, worker)),
      setPolicy: tx((host: string, policy: HostPolicy) => this.#setPolicy(host, policy)),
    };
  }

  static open(o: SqliteFrontierOptions): SqliteFrontier {
    if (typeof o?.path !== 'string' || o.path === '') throw new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', 'open: path must be a non-empty string');
    checkPolicy(o.defaultHostPolicy, 'open: defaultHostPolicy');
    let db: BetterSqlite3.Database;
    try {
      db = new Database(o.path);
    } catch (err) {
      throw new FrontierError('JVX_ERR_FRONTIER_OPEN', `cannot open frontier store ${o.path}: ${errorMessage(err)}`, { path: o.path, cause: err });
    }
    try {
      initSchema(db, o.path, o.cacheKiB ?? 16 * 1024);
      const frontier = new SqliteFrontier(db, { ...o.defaultHostPolicy });
      frontier.#applyDefaultPolicy();
      return frontier;
    } catch (err) {
      db.close();
      if (err instanceof FrontierError) throw err;
      throw new FrontierError('JVX_ERR_FRONTIER_OPEN', `cannot use frontier store ${o.path}: ${errorMessage(err)}`, { path: o.path, cause: err });
    }
  }

  async add(urls: readonly FrontierAdd[]): Promise<number> {
    this.#open();
    if (urls.length === 0) return 0;
    return this.#tx.add(urls);
  }

  async lease(max: number, options: { now: number; leaseMs: number; worker: string }): Promise<LeasedUrl[]> {
    this.#open();
    checkLeaseArgs(max, options);
    if (max === 0) return [];
    return this.#tx.lease(max, options.now, options.now + options.leaseMs, options.worker);
  }

  async releaseHost(host: HostKey, readyAt: number, slot?: string): Promise<void> {
    this.#open();
    checkTime(readyAt, 'releaseHost: readyAt');
    this.#tx.release(host, readyAt, slot === undefined ? undefined : parseId(slot, 'slot'));
  }

  async retry(id: string, notBefore: number): Promise<void> {
    this.#open();
    checkTime(notBefore, 'retry: notBefore');
    this.#tx.retry(parseId(id), notBefore);
  }

  async setHostPolicy(host: HostKey, policy: HostPolicy): Promise<void> {
    this.#open();
    checkPolicy(policy, 'setHostPolicy: policy');
    this.#tx.setPolicy(host, policy);
  }

  async getHostPolicy(host: HostKey): Promise<HostPolicy> {
    this.#open();
    const row = this.#s.hostPolicy.get(host) as { maxConcurrent: number | null; delayMs: number | null } | undefined;
    return {
      maxConcurrent: row?.maxConcurrent ?? this.#defaults.maxConcurrent,
      delayMs: row?.delayMs ?? this.#defaults.delayMs,
    };
  }

  async commit(ids: readonly string[], checkpoint: CheckpointRecord): Promise<{ duplicates: string[] }> {
    this.#open();
    checkInt(checkpoint.seq, 0, 'commit: checkpoint.seq');
    checkWorker(checkpoint.worker, 'commit: checkpoint.worker');
    return { duplicates: this.#tx.commit(ids, checkpoint) };
  }

  async lastCheckpoint(worker: string): Promise<CheckpointRecord | undefined> {
    this.#open();
    const row = this.#s.lastCheckpoint.get(worker) as CheckpointRow | undefined;
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async checkpoints(): Promise<CheckpointRecord[]> {
    this.#open();
    return (this.#s.checkpoints.all() as CheckpointRow[]).map(toCheckpoint);
  }

  async recover(options: { now: number; worker?: string }): Promise<number> {
    this.#open();
    checkTime(options.now, 'recover: now');
    if (options.worker !== undefined) checkWorker(options.worker, 'recover: worker');
    return this.#tx.recover(options.now, options.worker);
  }

  async nextReadyAt(): Promise<number | undefined> {
    this.#open();
    const { q } = this.#s.minQueue.get() as { q: number | null };
    if (q !== null) return q;
    const { pending } = this.#s.stats.get() as FrontierCounts;
    return pending > 0 ? Infinity : undefined;
  }

  /**
   * Sets done URLs back to pending, attempts reset (`collect --repair`: their rows or archive
   * records were lost and have been removed from the dataset, so they are fetched once more).
   * URLs not in the frontier or not done are left alone. One transaction; returns how many reopened.
   */
  async reopen(urls: readonly string[]): Promise<number> {
    this.#open();
    const db = this.#db!;
    const find = db.prepare('SELECT id, state, host_id AS hostId FROM urls WHERE url_hash = ? AND url = ?');
    const mark = db.prepare('UPDATE urls SET state = 0, attempts = 0, not_before = 0, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 2');
    return db.transaction(() => {
      let n = 0;
      for (const url of urls) {
        const row = find.get(urlHash(url), url) as { id: number; state: number; hostId: number } | undefined;
        if (row?.state !== 2 || mark.run(row.id).changes !== 1) continue;
        this.#s.hostPendingDelta.run({ id: row.hostId, pending: 1, delayed: 0 });
        this.#requeue(row.hostId);
        n++;
      }
      if (n > 0) this.#s.statsDelta.run(n, 0, -n);
      return n;
    }).immediate();
  }

  async counts(): Promise<FrontierCounts> {
    this.#open();
    const { pending, leased, done } = this.#s.stats.get() as { pending: number; leased: number; done: number };
    return { pending, leased, done, total: pending + leased + done };
  }

  async close(): Promise<void> {
    const db = this.#db;
    if (db === undefined) return;
    this.#db = undefined;
    this.#hostIds.clear();
    db.close();
  }

  #open(): void {
    if (this.#db === undefined) throw new FrontierError('JVX_ERR_FRONTIER_CLOSED', 'the frontier is closed');
  }

  /** A different default maxConcurrent than last time changes which hosts have a free slot. */
  #applyDefaultPolicy(): void {
    const key = 'default_max_concurrent';
    const row = this.#s.meta.get(key) as { value: string } | undefined;
    if (row?.value === String(this.#defMax)) return;
    this.#db!.transaction(() => {
      this.#s.requeueAll.run({ defMax: this.#defMax });
      this.#s.setMeta.run(key, String(this.#defMax));
    }).immediate();
  }

  #hostIdFor(host: string): number {
    const cached = this.#hostIds.get(host);
    if (cached !== undefined) return cached;
    const row = this.#s.hostId.get(host) as { id: number } | undefined;
    const id = row?.id ?? Number(this.#s.insertHost.run(host).lastInsertRowid);
    if (this.#hostIds.size >= HOST_CACHE_MAX) this.#hostIds.clear();
    this.#hostIds.set(host, id);
    return id;
  }

  #requeue(hostId: number): void {
    this.#s.requeue.run({ id: hostId, defMax: this.#defMax });
  }

  #add(urls: readonly FrontierAdd[]): number {
    const perHost = new Map<number, number>();
    let added = 0;
    for (let i = 0; i < urls.length; i++) {
      const u = urls[i]!;
      const host = checkAdd(u, i);
      const hash = urlHash(u.url);
      // Same transaction as the insert: a duplicate later in this batch finds this row.
      if (this.#s.findUrl.get(hash, u.url) !== undefined) continue;
      const hostId = this.#hostIdFor(host);
      this.#s.insertUrl.run(u.url, hash, hostId, u.depth, u.priority ?? 0);
      added++;
      perHost.set(hostId, (perHost.get(hostId) ?? 0) + 1);
    }
    for (const [id, n] of perHost) this.#s.addPending.run({ id, n, defMax: this.#defMax });
    if (added > 0) this.#s.statsDelta.run(added, 0, 0);
    return added;
  }

  #lease(max: number, now: number, leaseUntil: number, worker: string): LeasedUrl[] {
    const out: LeasedUrl[] = [];
    let after = { afterQueue: -1, afterId: 0 };
    while (out.length < max) {
      const want = max - out.length;
      const hosts = this.#s.readyHosts.all({ now, ...after, limit: want, defMax: this.#defMax }) as {
        id: number; host: string; inFlight: number; maxConcurrent: number; queueAt: number;
      }[];
      for (const h of hosts) {
        const room = Math.min(h.maxConcurrent - h.inFlight, max - out.length);
        if (room <= 0) continue;
        const rows = this.#s.readyUrls.all(h.id, now, room) as { id: number; url: string; depth: number; attempts: number; notBefore: number }[];
        let delayed = 0;
        for (const r of rows) {
          this.#s.markLeased.run(worker, leaseUntil, r.id);
          const slot = String(this.#s.insertSlot.run(h.id, r.id, worker, leaseUntil).lastInsertRowid);
          if (r.notBefore > 0) delayed++;
          out.push({ id: String(r.id), url: r.url, host: h.host, depth: r.depth, attempts: r.attempts, leaseUntil, slot });
        }
        if (rows.length > 0) this.#s.afterLease.run({ id: h.id, n: rows.length, delayed });
        this.#requeue(h.id);
      }
      if (hosts.length < want) break;
      const last = hosts[hosts.length - 1]!;
      after = { afterQueue: last.queueAt, afterId: last.id };
    }
    if (out.length > 0) this.#s.statsDelta.run(-out.length, out.length, 0);
    return out;
  }

  #release(host: string, readyAt: number, slot: number | undefined): void {
    const row = this.#s.hostId.get(host) as { id: number } | undefined;
    if (row === undefined) return;
    // A named slot that is gone was freed by recover already: freeing "some" slot instead would
    // let the host exceed its limit.
    const target = slot ?? (this.#s.oldestSlot.get(row.id) as { id: number } | undefined)?.id;
    const freed = target === undefined ? 0 : this.#s.deleteSlot.run(target, row.id).changes;
    this.#s.release.run({ id: row.id, freed, readyAt });
    this.#requeue(row.id);
  }

  #retry(id: number, notBefore: number): void {
    const row = this.#urlState(id);
    if (row.state !== 1) return;
    const nb = Math.max(0, Math.floor(notBefore));
    this.#s.markRetry.run(nb, id);
    this.#s.hostPendingDelta.run({ id: row.hostId, pending: 1, delayed: nb > 0 ? 1 : 0 });
    this.#requeue(row.hostId);
    this.#s.statsDelta.run(1, -1, 0);
  }

  #commit(ids: readonly string[], cp: CheckpointRecord): string[] {
    const { seq: last } = this.#s.lastSeq.get(cp.worker) as { seq: number | null };
    if (last !== null && cp.seq <= last) {
      throw new FrontierError('JVX_ERR_FRONTIER_CHECKPOINT_ORDER', `checkpoint ${cp.seq} of worker ${cp.worker} is not after its last one (${last})`);
    }
    this.#s.insertCheckpoint.run(cp.worker, cp.seq, cp.at, JSON.stringify(cp.shards), JSON.stringify(cp.warcs), JSON.stringify(cp.counts));
    const duplicates: string[] = [];
    let fromPending = 0;
    let fromLeased = 0;
    for (const raw of ids) {
      const id = parseId(raw);
      const row = this.#urlState(id);
      if (row.state === 2) {
        duplicates.push(raw);
        continue;
      }
      this.#s.markDone.run(id);
      if (row.state === 1) {
        fromLeased++;
      } else {
        // Its lease expired and recover returned it, but this worker finished it first.
        fromPending++;
        this.#s.hostPendingDelta.run({ id: row.hostId, pending: -1, delayed: row.notBefore > 0 ? -1 : 0 });
        this.#requeue(row.hostId);
      }
    }
    if (fromPending + fromLeased > 0) this.#s.statsDelta.run(-fromPending, -fromLeased, fromPending + fromLeased);
    return duplicates;
  }

  #recover(now: number, worker: string | undefined): number {
    const touched = new Map<number, { pending: number; freed: number }>();
    const bump = (hostId: number, field: 'pending' | 'freed'): void => {
      const t = touched.get(hostId) ?? { pending: 0, freed: 0 };
      t[field]++;
      touched.set(hostId, t);
    };
    const leases = this.#s.expiredLeases.all(now) as { id: number; hostId: number }[];
    if (worker !== undefined) leases.push(...(this.#s.workerLeases.all(worker) as { id: number; hostId: number }[]));
    let returned = 0;
    for (const l of leases) {
      // A lease both expired and owned by `worker` is listed twice; the state guard counts it once.
      if (this.#s.markPending.run(l.id).changes === 1) {
        returned++;
        bump(l.hostId, 'pending');
      }
    }
    for (const s of this.#s.freeSlots.all(now) as { hostId: number }[]) bump(s.hostId, 'freed');
    if (worker !== undefined) for (const s of this.#s.freeWorkerSlots.all(worker) as { hostId: number }[]) bump(s.hostId, 'freed');
    for (const [hostId, t] of touched) {
      if (t.pending > 0) this.#s.hostPendingDelta.run({ id: hostId, pending: t.pending, delayed: 0 });
      if (t.freed > 0) this.#s.inFlightDelta.run({ id: hostId, n: -t.freed });
      this.#requeue(hostId);
    }
    if (returned > 0) this.#s.statsDelta.run(returned, -returned, 0);
    return returned;
  }

  #setPolicy(host: string, policy: HostPolicy): void {
    this.#s.upsertPolicy.run({ host, maxConcurrent: policy.maxConcurrent, delayMs: policy.delayMs });
    this.#requeue(this.#hostIdFor(host));
  }

  #urlState(id: number): { state: number; hostId: number; notBefore: number } {
    const row = this.#s.urlState.get(id) as { state: number; hostId: number; notBefore: number } | undefined;
    if (row === undefined) throw new FrontierError('JVX_ERR_FRONTIER_UNKNOWN_ID', `no URL with id ${id} in this frontier`, { id: String(id) });
    return row;
  }
}

function toCheckpoint(row: CheckpointRow): CheckpointRecord {
  return {
    seq: row.seq,
    worker: row.worker,
    at: row.at,
    shards: JSON.parse(row.shards) as string[],
    warcs: JSON.parse(row.warcs) as { file: string; length: number }[],
    counts: JSON.parse(row.counts) as Record<string, number>,
  };
}
