import { channel } from 'node:diagnostics_channel';
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
  worker: string;
  /** Sequence of the last committed checkpoint of this worker (0 for a new run). */
  lastSeq: number;
  everyRecords: number;
  intervalMs: number;
  /** Cumulative counters stored with each checkpoint (and in run.json). */
  counts: () => Record<string, number>;
  onCommitted?: (record: CheckpointRecord, info: { urls: number; duplicates: number; durationMs: number }) => void | Promise<void>;
}

/**
 * The exactly-once heart of collect (DESIGN.md, "Delivery guarantee"). Finished URLs and their rows
 * wait here; a checkpoint stages the Parquet shards (temp names), syncs the WARC, then commits in one
 * frontier transaction the URLs as done together with the shard names and WARC lengths, and only then
 * makes the shards visible. A crash anywhere before the commit leaves nothing visible that resume
 * will not discard; a crash after it leaves nothing resume cannot finish.
 */
export class Checkpointer {
  readonly #o: CheckpointerOptions;
  #ids: string[] = [];
  #rows: { table: TableName; rows: readonly object[] }[] = [];
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
      if ((this.#ids.length > 0 || this.#rows.length > 0) && this.#inProgress === 0) void this.checkpoint().catch(() => {});
    }, options.intervalMs);
    this.#timer.unref();
  }

  get pending(): number {
    return this.#ids.length;
  }

  get seq(): number {
    return this.#seq;
  }

  /**
   * Hands over one finished URL (its lease id) and its rows. Resolves at once unless too much is
   * waiting for a slow checkpoint: then it waits, which slows the fetchers (back-pressure).
   */
  async add(id: string | null, rows: TableRows): Promise<void> {
    if (this.#error) throw this.#error;
    if (id !== null) this.#ids.push(id);
    for (const [table, list] of Object.entries(rows) as [TableName, readonly object[]][]) {
      if (list.length > 0) this.#rows.push({ table, rows: list });
    }
    if (this.#ids.length >= this.#o.everyRecords && this.#inProgress === 0) void this.checkpoint().catch(() => {});
    if (this.#ids.length >= this.#o.everyRecords * 3) {
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
    const ids = this.#ids;
    const rows = this.#rows;
    if (ids.length === 0 && rows.length === 0) return;
    this.#ids = [];
    this.#rows = [];
    const started = Date.now();
    const seq = this.#seq + 1;
    const { dataset, archive, frontier } = this.#o;
    // Append and stage with no await between them, so the staged shard holds exactly these rows.
    for (const r of rows) dataset.append(r.table, r.rows);
    const { shards } = await dataset.stage(seq);
    const warcs = await archive.sync();
    const record: CheckpointRecord = { seq, worker: this.#o.worker, at: Date.now(), shards, warcs, counts: this.#o.counts() };
    const { duplicates } = await frontier.commit(ids, record);
    this.#seq = seq;
    await dataset.publish(shards);
    const durationMs = Date.now() - started;
    if (checkpointChannel.hasSubscribers) checkpointChannel.publish({ seq, worker: record.worker, urls: ids.length, shards: shards.length, durationMs });
    await this.#o.onCommitted?.(record, { urls: ids.length, duplicates: duplicates.length, durationMs });
    this.#releaseWaiters();
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
