import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { listShards, readShard, TABLE_NAMES, writeShardFile, type ShardName, type TableName } from '../dataset/index.js';
import { errorMessage } from '../errors/index.js';
import type { RunPaths } from '../run/index.js';
import { WarcReader, writeCdxjFor } from '../warc/index.js';
import { cdxjNameFor } from '../warc/file-names.js';
import { cheapCheck } from './check/cheap-check.js';
import { committedState } from './check/checkpoints.js';
import { checkPointer } from './check/full-check.js';
import { readLedger, writeLedger } from './check/ledger.js';
import { PROBLEM, ProblemList } from './check/problems.js';
import { commitFile } from '../fs/index.js';

/** The column naming the URL a row belongs to, per table: the rows a re-fetch will write again. */
const URL_COLUMN: Record<TableName, string> = { pages: 'url', links: 'src_url', chunks: 'url', errors: 'url' };

export interface RepairResult {
  /** URLs set back to pending: fetched again by this collect. */
  refetch: string[];
  rowsRemoved: number;
  shardsWrittenOff: string[];
  warcsCut: string[];
}

/**
 * `collect --repair` (docs/check.md, "Repair"): finds the URLs whose rows or archive records are
 * lost, takes every row of theirs out of the dataset, and hands them back to the frontier as
 * pending, so this collect fetches each once more and the dataset keeps every URL exactly once.
 *
 * A URL is lost when its `pages` row points at a record that is not whole (a truncated or deleted
 * WARC), or when it is done in the frontier but has no `pages` row (a deleted or unreadable shard).
 * The steps are ordered so that a crash anywhere is healed by running `--repair` again:
 *   1. the ledger (`.repair/ledger.json`) writes off lost shards and accepts cut WARC lengths;
 *   2. damaged WARCs are cut back to their last whole record and re-indexed;
 *   3. every shard holding rows of a lost URL is rewritten without them (temp, fsync, rename);
 *   4. the lost URLs go back to pending in one frontier transaction.
 * After 3 and before 4, a lost URL has no row at all, which is exactly what the next repair looks
 * for; its rows are never removed twice nor written twice, because step 4 is what lets it be
 * fetched, and a URL is committed once (the checkpoint protocol) once fetched.
 */
export async function repairRun(paths: RunPaths, reopen: (urls: readonly string[]) => Promise<number>, say: (line: string) => void): Promise<RepairResult> {
  const result: RepairResult = { refetch: [], rowsRemoved: 0, shardsWrittenOff: [], warcsCut: [] };
  const aside = join(paths.root, '.repair', new Date().toISOString().replace(/[:.]/g, '-'));
  const ledger = await readLedger(paths.root);
  const committed = await committedState(paths.state, paths.id);
  const problems = await cheapCheck(paths.root, committed, ledger, new ProblemList(Number.MAX_SAFE_INTEGER));
  const damagedWarcs = new Set<string>();
  for (const p of problems.items) {
    if (p.code === PROBLEM.shardMissing) result.shardsWrittenOff.push(p.file);
    else damagedWarcs.add(p.file);
  }

  // Which URLs have a readable pages row, and which of those rows point at a broken record.
  const scratch = new Database(':memory:');
  const lost = new Set<string>();
  try {
    scratch.exec('CREATE TABLE seen (url TEXT PRIMARY KEY) WITHOUT ROWID');
    const insert = scratch.prepare('INSERT OR IGNORE INTO seen (url) VALUES (?)');
    for (const shard of await listShards(paths.root, 'pages')) {
      try {
        for await (const batch of readShard(join(paths.root, shard.rel), { columns: ['url', 'warc_filename', 'warc_record_offset', 'warc_record_length'] })) {
          for (const row of batch) {
            const problem = await checkPointer(paths.root, row);
            if (problem) {
              lost.add(String(row.url));
              damagedWarcs.add(problem.file);
            } else insert.run(String(row.url));
          }
        }
      } catch (err) {
        // An unreadable shard is as good as gone: set aside, written off, its URLs fetched again.
        await moveAside(paths.root, shard.rel, aside);
        say(`repair: ${shard.rel} cannot be read (${errorMessage(err)}): moved to ${join(aside, shard.rel)}`);
        result.shardsWrittenOff.push(shard.rel);
      }
    }
    // Done in the frontier but without a pages row: its shard is gone.
    const state = new Database(paths.state, { readonly: true, fileMustExist: true });
    try {
      const has = scratch.prepare('SELECT 1 FROM seen WHERE url = ?');
      for (const { url } of state.prepare('SELECT url FROM urls WHERE state = 2').iterate() as IterableIterator<{ url: string }>) {
        if (has.get(url) === undefined) lost.add(url);
      }
    } finally {
      state.close();
    }
  } finally {
    scratch.close();
  }

  // 1. The ledger first: what is written off stays written off, whatever happens next.
  for (const file of damagedWarcs) {
    const name = basename(file);
    const path = join(paths.warcDir, name);
    const size = (await stat(path).catch(() => null))?.size;
    if (size === undefined) {
      await moveAside(paths.root, `index/${cdxjNameFor(name)}`, aside);
      ledger.acceptedWarcLengths[name] = 0;
      say(`repair: ${file} is gone; its pages are fetched again${size === undefined ? '' : ''}`);
      continue;
    }
    ledger.acceptedWarcLengths[name] = await wholeLength(path);
  }
  ledger.writtenOffShards = [...new Set([...ledger.writtenOffShards, ...result.shardsWrittenOff])];
  await writeLedger(paths.root, ledger);
  for (const rel of result.shardsWrittenOff) say(`repair: committed shard ${rel} is lost; written off in ${join('.repair', 'ledger.json')}`);

  // 2. Cut damaged WARCs back to their last whole record and index them again.
  for (const [name, length] of Object.entries(ledger.acceptedWarcLengths)) {
    const path = join(paths.warcDir, name);
    const size = (await stat(path).catch(() => null))?.size;
    if (size === undefined || !damagedWarcs.has(`warc/${name}`)) continue;
    if (size > length) {
      const fh = await open(path, 'r+');
      try {
        await fh.truncate(length);
        await fh.sync();
      } finally {
        await fh.close();
      }
      say(`repair: cut ${path} from ${size} to ${length} bytes (its last record was not whole)`);
    }
    await writeCdxjFor(path, join(paths.indexDir, cdxjNameFor(name)), name);
    say(`repair: rebuilt index ${join(paths.indexDir, cdxjNameFor(name))}`);
    result.warcsCut.push(`warc/${name}`);
  }

  // 3. Take every row of a lost URL out, in every table.
  if (lost.size > 0) {
    for (const table of TABLE_NAMES) {
      for (const shard of await listShards(paths.root, table)) {
        const removed = await rewriteWithout(paths.root, shard, URL_COLUMN[table], lost);
        if (removed > 0) say(`repair: removed ${removed} row(s) of lost URLs from ${shard.rel}`);
        result.rowsRemoved += removed;
      }
    }
  }

  // 4. Back to pending: this collect fetches them.
  result.refetch = [...lost];
  const reopened = await reopen(result.refetch);
  say(`repair: ${reopened} URL(s) to fetch again${problems.count === 0 && lost.size === 0 ? ' (the run is whole)' : ''}`);
  return result;
}

/** The length of the file's leading whole records (where a cut leaves only whole records). */
async function wholeLength(path: string): Promise<number> {
  const reader = new WarcReader(path);
  let end = 0;
  try {
    for await (const rec of reader.records()) {
      await rec.done();
      if (!rec.complete) break;
      end = rec.offset + rec.length;
    }
  } catch {
    // the first unreadable record ends what is kept
  }
  return end;
}

/** Rewrites a shard without the rows of `urls` (same name: temp, fsync, rename); returns the rows removed. */
async function rewriteWithout(runDir: string, shard: ShardName, column: string, urls: ReadonlySet<string>): Promise<number> {
  const path = join(runDir, shard.rel);
  let hit = false;
  for await (const batch of readShard(path, { columns: [column] })) if (batch.some((r) => urls.has(String(r[column])))) hit = true;
  if (!hit) return 0;
  let removed = 0;
  async function* kept(): AsyncGenerator<Record<string, unknown>[]> {
    for await (const batch of readShard(path)) {
      const keep = batch.filter((r) => !urls.has(String(r[column])));
      removed += batch.length - keep.length;
      yield keep;
    }
  }
  // Not the `.x.parquet.tmp` name: resume would publish a committed shard's temp, even a half-written one.
  const temp = join(dirname(path), `.${basename(path)}.repair`);
  await writeShardFile(temp, shard.table, kept(), { rowGroupRows: 50_000, rowGroupBytes: 64 * 1024 * 1024, kvMetadata: [{ key: 'jarvix.repaired', value: new Date().toISOString() }] });
  await commitFile(temp, path);
  return removed;
}

async function moveAside(runDir: string, rel: string, aside: string): Promise<void> {
  const to = join(aside, rel);
  await mkdir(dirname(to), { recursive: true });
  await rename(join(runDir, rel), to).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    await rm(to, { force: true });
  });
}
