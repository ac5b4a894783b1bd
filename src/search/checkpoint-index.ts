import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { parseShardRel } from '../dataset/index.js';
import { heldRanges, IndexWriter, openIndex } from './index-store.js';
import { INDEX_SUFFIX, SEARCH_DIR } from './search-run.js';
import { checkpointDocs } from './shard-docs.js';

/** A committed checkpoint as the frontier records it: its seq and the shards it published. */
export interface CommittedCheckpoint {
  readonly seq: number;
  readonly shards: readonly string[];
}

export interface ReconcileResult {
  /** Committed checkpoints whose pages were missing from the index and were added. */
  added: number;
  /** Held checkpoints that are not committed, whose pages were taken out. */
  removed: number;
}

/**
 * The index of one collect worker, `RUN/search/<worker>.sqlite`, kept in step with its committed
 * checkpoints (docs/search.md, "Exactly once"). A checkpoint's pages go in after its commit, in one
 * SQLite transaction that also records its seq as held. So at any crash the index holds whole
 * checkpoints, all committed; `reconcile` at resume adds the committed ones it lacks (the crash
 * fell between the commit and the index transaction) and takes out any held one no longer
 * committed. A page is then in the index once, as it is once in the committed shards.
 */
export class CheckpointIndex {
  readonly #runDir: string;
  readonly #worker: string;
  readonly #db: Database.Database;
  readonly #writer: IndexWriter;

  private constructor(runDir: string, worker: string, db: Database.Database) {
    this.#runDir = runDir;
    this.#worker = worker;
    this.#db = db;
    this.#writer = new IndexWriter(db);
  }

  static async open(runDir: string, worker: string): Promise<CheckpointIndex> {
    await mkdir(join(runDir, SEARCH_DIR), { recursive: true });
    return new CheckpointIndex(runDir, worker, openIndex(join(runDir, SEARCH_DIR, `${worker}${INDEX_SUFFIX}`)));
  }

  /** Brings the index in line with the worker's committed checkpoints (superseded ones left out). */
  async reconcile(committed: readonly CommittedCheckpoint[]): Promise<ReconcileResult> {
    const held = heldRanges(this.#db, this.#worker);
    const isHeld = (seq: number): boolean => held.some((h) => h.first <= seq && seq <= h.last);
    const seqs = new Set(committed.map((c) => c.seq));
    const result: ReconcileResult = { added: 0, removed: 0 };
    for (const h of held) {
      let all = true;
      for (let s = h.first; s <= h.last && all; s++) all = seqs.has(s);
      if (!all) {
        this.#writer.remove(this.#worker, h.first, h.last);
        result.removed++;
      }
    }
    for (const c of committed) {
      if (isHeld(c.seq)) continue;
      if (await this.add(c)) result.added++;
    }
    return result;
  }

  /**
   * Adds a committed checkpoint's pages. Its shards may be gone when curate replaced the tables (its
   * pages are then in curate's index): nothing is added, and false returned.
   */
  async add(c: CommittedCheckpoint): Promise<boolean> {
    const pages: string[] = [];
    const chunks: string[] = [];
    for (const rel of c.shards) {
      const name = parseShardRel(rel);
      if (name.table !== 'pages' && name.table !== 'chunks') continue;
      const file = join(this.#runDir, rel);
      if (!(await exists(file))) return false;
      (name.table === 'pages' ? pages : chunks).push(file);
    }
    const docs = await checkpointDocs(pages, chunks);
    this.#writer.add(this.#worker, c.seq, c.seq, docs);
    return true;
  }

  close(): void {
    this.#db.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
