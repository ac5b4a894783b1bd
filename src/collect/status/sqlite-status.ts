import { access } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { CheckpointRecord } from '../../frontier/types.js';
import { StatusRunNotFoundError, WorkerTally, type RunStatus } from './run-status.js';

interface CheckpointRow {
  worker: string;
  seq: number;
  at: number;
  counts: string;
}

/**
 * Status of an embedded run from its state.sqlite, opened read-only (a running collect keeps
 * writing; WAL lets us read beside it). Reads the SqliteFrontier schema (src/frontier/sqlite-schema.ts).
 */
export async function sqliteRunStatus(statePath: string, run: string, now = Date.now()): Promise<RunStatus> {
  try {
    await access(statePath);
  } catch {
    throw new StatusRunNotFoundError(run, statePath);
  }
  const db = new Database(statePath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const stats = db.prepare('SELECT pending, leased, done FROM stats WHERE id = 1').get() as { pending: number; leased: number; done: number } | undefined;
    const { pending = 0, leased = 0, done = 0 } = stats ?? {};
    const ready = (db.prepare('SELECT count(*) AS n FROM hosts WHERE queue_at IS NOT NULL AND queue_at <= ?').get(now) as { n: number }).n;
    const waiting = (db.prepare('SELECT count(*) AS n FROM hosts WHERE queue_at > ?').get(now) as { n: number }).n;
    const tally = new WorkerTally(now);
    for (const row of db.prepare('SELECT worker, seq, at, counts FROM checkpoints ORDER BY id').iterate() as IterableIterator<CheckpointRow>) {
      const record: CheckpointRecord = { worker: row.worker, seq: row.seq, at: row.at, shards: [], warcs: [], counts: JSON.parse(row.counts) as Record<string, number> };
      tally.add(record);
    }
    return { run, store: 'sqlite', at: now, done, pending, inFlight: leased, total: done + pending + leased, hosts: { ready, waiting }, workers: tally.result() };
  } finally {
    db.close();
  }
}
