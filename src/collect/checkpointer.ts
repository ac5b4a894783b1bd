import { channel } from 'node:diagnostics_channel';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempRel } from '../dataset/shard-names.js';
import type { CheckpointRecord, Frontier } from '../frontier/types.js';

/** What the checkpoint needs from the dataset writer (src/dataset). */
export interface DatasetSink {
  append(table: TableName, rows: readonly object[]): void;
  stage(seq: number): Promise<{ shards: string[] }>;
  publish(shards: readonly string[]): Promise<void>;
}
/** What the checkpoint needs from the WARC writer (src/warc). */
export interface ArchiveSink {
  sync(): Promise<{ file: string; length: number }[]>;
}

export type TableName = 'pages' | 'links' | 'chunks' | 'errors';
export type TableRows = Partial<Record<TableName, readonly object[]>>;

const checkpointChannel = channel('jarvix:checkpoint:commit');

export interface CheckpointerOptions {
  frontier: Frontier;
  dataset: DatasetSink;
  archive: ArchiveSink;
  /** The run folder: staged shards of a checkpoint that turned out to hold duplicates are removed from it. */
  runDir: string;
  worker: string;
  /** Sequence of the last committed checkpoint of this worker (0 for a new run). */
  lastSeq: number;
  everyRecords: number;
  intervalMs: number;
  /**
   * A URL whose lease ends within this many ms is not committed: once its lease is over another
   * worker may fetch and commit it, so its rows are dropped here and the URL is fetched again.
   */
  leaseGuardMs: number;
  /** Cumulative counters stored with each checkpoint (and in run.json). */
  counts: () => Record<string, number>;
  onCommitted?: (record: CheckpointRecord, info: { urls: number; duplicates: number; expired: number; durationMs: number }) => void | Promise<void>;
}

/** A finished URL: its lease and its rows, kept together so a duplicate's rows can be left out. */
interface Item {
  readonly id: string;
  readonly leaseUntil: number;
  readonly rows: TableRows;
}

/** `counts` key of a checkpoint record that replaces an earlier one of the same worker (see #supersede). */
export const SUPERSEDES = 'supersedes';

/**
 * The committed shard names of one worker: a record that supersedes an earlier one takes the
 * earlier record's shards out of the committed set (they were never published).
 */
export function committedShards(records: readonly CheckpointRecord[]): string[] {
  return committedCheckpoints(records).flatMap((r) => r.shards);
}

/** The committed checkpoints of one worker, superseded ones left out (their shards were never published). */
export function committedCheckpoints(records: readonly CheckpointRecord[]): CheckpointRecord[] {
  const superseded = new Set(records.map((r) => r.counts[SUPERSEDES]).filter((s): s is number => s !== undefined));
  return records.filter((r) => !superseded.has(r.seq));
}

/**
 * The exactly-once heart of collect (DESIGN.md, "Delivery guarantee"). Finished URLs and their rows
 * wait here; a checkpoint stages the Parquet shards (temp names), syncs the WARC, then commits in one
 * frontier transaction the URLs as done together with the shard names and WARC lengths, and only then
 * makes the shards visible. A crash anywhere before the commit leaves nothing visible that resume
 * will not discard; a crash after it leaves nothing resume cannot finish.
 *
 * Many workers (Redis): a URL is fetched twice when its lease ran out while the first worker still
 * had it. Two defences keep it once in the union of all shards: (1) a URL whose lease is within
 * `leaseGuardMs` of its end is not committed (its rows are dropped; it will be fetched again), so
 * normally only the worker that holds a live lease commits; (2) if the frontier still reports
 * duplicates (a commit delayed past the guard, e.g. by a Redis outage), this checkpoint's staged
 * shards are never published: the rows without the duplicates are staged again under the next seq
 * and committed with a record that supersedes it (docs/scale-out.md, "Exactly once across workers").
 */
export class Checkpointer {
  readonly #o: CheckpointerOptions;
  #items: Item[] = [];
  #loose: { table: TableName; rows: readonly object[] }[] = [];
  #seq: number;
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #error: unknown;
  #waiters: (() => void)[] = [];
  #inProgress = 0;

  constructor(options: CheckpointerOptions) {
    this.#o = options;
    this.#seq = options.lastSeq;
    this.#timer = setInterval(() => {
      if ((this.#items.length > 0 || this.#loose.length > 0) && this.#inProgress === 0) void this.checkpoint().catch(() => {});
    }, options.intervalMs);
    this.#timer.unref();
  }

  get pending(): number {
    return this.#items.length;
  }

  get seq(): number {
    return this.#seq;
  }

  /**
   * Hands over one finished URL (its lease) and its rows, or rows of no URL (`null`: input
   * problems). Resolves at once unless too much is waiting for a slow checkpoint: then it waits,
   * which slows the fetchers (back-pressure).
   */
  async add(lease: { readonly id: string; readonly leaseUntil: number } | null, rows: TableRows): Promise<void> {
    if (this.#error) throw this.#error;
    if (lease !== null) this.#items.push({ id: lease.id, leaseUntil: lease.leaseUntil, rows });
    else {
      for (const [table, list] of Object.entries(rows) as [TableName, readonly object[]][]) {
        if (list.length > 0) this.#loose.push({ table, rows: list });
      }
    }
    if (this.#items.length >= this.#o.everyRecords && this.#inProgress === 0) void this.checkpoint().catch(() => {});
    if (this.#items.length >= this.#o.everyRecords * 3) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Takes a checkpoint of everything handed over so far; serialized with any running one. */
  checkpoint(): Promise<void> {
    this.#inProgress++;
    const run = this.#chain.then(() => this.#commit());
    this.#chain = run.catch((err: unknown) => {
      this.#error ??= err;
      this.#releaseWaiters();
    });
    return run.finally(() => {
      this.#inProgress--;
    });
  }

  async #commit(): Promise<void> {
    if (this.#error) throw this.#error;
    const all = this.#items;
    const loose = this.#loose;
    if (all.length === 0 && loose.length === 0) return;
    this.#items = [];
    this.#loose = [];
    const started = Date.now();
    const items = all.filter((i) => i.leaseUntil - started > this.#o.leaseGuardMs);
    const expired = all.length - items.length;
    const { record, duplicates } = await this.#stageAndCommit(items, loose, {});
    let final = record;
    if (duplicates.size > 0) final = await this.#supersede(record, items.filter((i) => !duplicates.has(i.id)), loose, duplicates.size);
    else await this.#o.dataset.publish(record.shards);
    const durationMs = Date.now() - started;
    if (checkpointChannel.hasSubscribers) checkpointChannel.publish({ seq: final.seq, worker: final.worker, urls: items.length, shards: final.shards.length, durationMs });
    await this.#o.onCommitted?.(final, { urls: items.length, duplicates: duplicates.size, expired, durationMs });
    this.#releaseWaiters();
  }

  async #stageAndCommit(items: readonly Item[], loose: readonly { table: TableName; rows: readonly object[] }[], extra: Record<string, number>): Promise<{ record: CheckpointRecord; duplicates: Set<string> }> {
    const seq = this.#seq + 1;
    const { dataset, archive, frontier } = this.#o;
    // Append and stage with no await between them, so the staged shard holds exactly these rows.
    for (const r of loose) dataset.append(r.table, r.rows);
    for (const item of items) {
      for (const [table, list] of Object.entries(item.rows) as [TableName, readonly object[]][]) {
        if (list.length > 0) dataset.append(table, list);
      }
    }
    const { shards } = await dataset.stage(seq);
    const warcs = await archive.sync();
    const counts = { ...this.#o.counts(), urls: items.length, ...extra };
    const record: CheckpointRecord = { seq, worker: this.#o.worker, at: Date.now(), shards, warcs, counts };
    const { duplicates } = await frontier.commit(items.map((i) => i.id), record);
    this.#seq = seq;
    return { record, duplicates: new Set(duplicates) };
  }

  /**
   * `record` committed URLs another worker had committed first: its staged shards hold their rows
   * and must never be published. Stage the rest again as the next checkpoint, which names `record`
   * as superseded (resume leaves superseded shards out), then remove the first staging.
   */
  async #supersede(record: CheckpointRecord, items: readonly Item[], loose: readonly { table: TableName; rows: readonly object[] }[], duplicates: number): Promise<CheckpointRecord> {
    const { record: next } = await this.#stageAndCommit(items, loose, { [SUPERSEDES]: record.seq, duplicates, urls: 0 });
    await this.#o.dataset.publish(next.shards);
    for (const rel of record.shards) await rm(join(this.#o.runDir, tempRel(rel)), { force: true });
    return next;
  }

  #releaseWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Final checkpoint and timer stop. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.checkpoint();
    await this.#chain;
    if (this.#error) throw this.#error;
  }

  /** Stops the timer without committing (second signal: whatever is pending is re-fetched on resume). */
  abandon(): void {
    clearInterval(this.#timer);
    this.#releaseWaiters();
  }
}
