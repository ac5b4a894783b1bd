import { access } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { committedShards } from '../checkpointer.js';
import type { CheckpointRecord } from '../../frontier/types.js';
import { CheckRunNotFoundError } from './errors.js';

/** What the run's checkpoints say should be on disk, per worker. */
export interface CommittedState {
  /** Committed shard names (run-relative), superseded stagings left out. */
  shards: string[];
  /** The WARC files and lengths of each worker's last checkpoint (its writer lists every file it has). */
  warcs: { worker: string; file: string; length: number }[];
  workers: string[];
}

/** Reads the checkpoint records of a run, read-only, from state.sqlite or the run's Redis keys. */
export async function committedState(statePath: string, run: string, redis?: string): Promise<CommittedState> {
  const records = redis === undefined ? await sqliteRecords(statePath, run) : await redisRecords(redis, run);
  const byWorker = new Map<string, CheckpointRecord[]>();
  for (const r of records) byWorker.set(r.worker, [...(byWorker.get(r.worker) ?? []), r]);
  const out: CommittedState = { shards: [], warcs: [], workers: [...byWorker.keys()].sort() };
  for (const [worker, list] of byWorker) {
    list.sort((a, b) => a.seq - b.seq);
    out.shards.push(...committedShards(list));
    for (const w of list.at(-1)?.warcs ?? []) out.warcs.push({ worker, file: w.file.replace(/^warc\//, ''), length: w.length });
  }
  return out;
}

async function sqliteRecords(statePath: string, run: string): Promise<CheckpointRecord[]> {
  try {
    await access(statePath);
  } catch {
    throw new CheckRunNotFoundError(run, statePath);
  }
  const db = new Database(statePath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.prepare('SELECT worker, seq, at, shards, warcs, counts FROM checkpoints ORDER BY id').all() as { worker: string; seq: number; at: number; shards: string; warcs: string; counts: string }[];
    return rows.map((r) => ({ worker: r.worker, seq: r.seq, at: r.at, shards: JSON.parse(r.shards) as string[], warcs: JSON.parse(r.warcs) as CheckpointRecord['warcs'], counts: JSON.parse(r.counts) as Record<string, number> }));
  } finally {
    db.close();
  }
}

async function redisRecords(url: string, run: string): Promise<CheckpointRecord[]> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 10_000, commandTimeout: 30_000, retryStrategy: () => null, ...(url.startsWith('rediss:') ? { tls: {} } : {}) });
  client.on('error', () => {});
  const p = `jvx:{${run}}:`;
  try {
    await client.connect();
    if ((await client.exists(`${p}cfg`)) === 0) throw new CheckRunNotFoundError(run, 'Redis');
    return (await client.lrange(`${p}cp`, 0, -1)).map((j) => JSON.parse(j) as CheckpointRecord);
  } finally {
    client.disconnect();
  }
}
