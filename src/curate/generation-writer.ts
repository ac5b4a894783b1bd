import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compactShards, DatasetWriter, parseShardRel, TABLE_NAMES, type TableName } from '../dataset/index.js';
import { removeTree } from './fs-util.js';
import { CURATE_WORKER, shardFiles, stagingDir } from './swap.js';

export interface GenerationWriterLimits {
  /** Rows (all tables) buffered before they are written out as a staged shard set. */
  stageEveryRows: number;
  /** ...or about this many value bytes, whichever comes first: bounds memory whatever the page size. */
  stageEveryBytes: number;
}

/**
 * Writes a new generation of tables into the run's staging folder through the ordinary dataset
 * writer: rows are buffered up to a bound, written as shards (`<table>-curate-<seq>`), and at the
 * end the small shards are compacted. Seqs continue after every `curate` shard already in the run,
 * so the new names (and compaction ranges) can neither collide with nor cover the ones they replace.
 */
export class GenerationWriter {
  readonly #limits: GenerationWriterLimits;
  readonly #writer: DatasetWriter;
  readonly #staging: string;
  readonly #rows: Record<TableName, number> = { pages: 0, links: 0, chunks: 0, errors: 0 };
  #seq: number;
  #bufferedRows = 0;
  #bufferedBytes = 0;

  private constructor(writer: DatasetWriter, staging: string, seq: number, limits: GenerationWriterLimits) {
    this.#writer = writer;
    this.#staging = staging;
    this.#seq = seq;
    this.#limits = limits;
  }

  static async open(runDir: string, limits: GenerationWriterLimits): Promise<GenerationWriter> {
    const staging = stagingDir(runDir);
    await removeTree(staging);
    await mkdir(staging, { recursive: true });
    let last = 0;
    for (const table of TABLE_NAMES) {
      for (const name of await shardFiles(join(runDir, table), table)) {
        const s = parseShardRel(`${table}/${name}`);
        if (s.worker === CURATE_WORKER && s.last > last) last = s.last;
      }
    }
    const writer = await DatasetWriter.open({ runDir: staging, worker: CURATE_WORKER });
    return new GenerationWriter(writer, staging, last, limits);
  }

  /** Rows written per table so far (staged or buffered). */
  get rows(): Readonly<Record<TableName, number>> {
    return { ...this.#rows };
  }

  append(table: TableName, rows: readonly object[]): void {
    if (rows.length === 0) return;
    this.#writer.append(table, rows);
    this.#rows[table] += rows.length;
    this.#bufferedRows += rows.length;
    if (table === 'chunks') for (const r of rows) this.#bufferedBytes += 64 + (r as { text: string }).text.length;
    else this.#bufferedBytes += 256 * rows.length;
  }

  /** Writes the buffered rows out once a limit is reached; await it between pages for back-pressure. */
  async flushIfFull(): Promise<void> {
    if (this.#bufferedRows >= this.#limits.stageEveryRows || this.#bufferedBytes >= this.#limits.stageEveryBytes) await this.#flush();
  }

  /** Writes what is left and merges the small shards; the staging folder is then ready to commit. */
  async finish(): Promise<void> {
    await this.#flush();
    await this.#writer.close();
    await compactShards(this.#staging);
  }

  /** Stops without finishing and removes the staging folder (the next start would too); never throws. */
  async abandon(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await removeTree(this.#staging).catch(() => {});
  }

  async #flush(): Promise<void> {
    if (this.#bufferedRows === 0) return;
    this.#bufferedRows = 0;
    this.#bufferedBytes = 0;
    const { shards } = await this.#writer.stage(++this.#seq);
    await this.#writer.publish(shards);
  }
}
