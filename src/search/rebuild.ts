import { mkdir, readdir, rename, rm, access } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { listShards, readShard, type ShardName } from '../dataset/index.js';
import { SearchRunMissingError } from './errors.js';
import { IndexWriter, openIndex, type IndexDoc } from './index-store.js';
import { INDEX_SUFFIX, SEARCH_DIR } from './search-run.js';
import { CHUNK_COLUMNS, joinChunks, PAGE_COLUMNS, toDoc, type PageFields } from './shard-docs.js';

export interface RebuildResult {
  /** Index files written, one per dataset worker. */
  files: number;
  pages: number;
  /** Whether a link rank from `graph/vertices` took part in the static rank. */
  linkRank: boolean;
  durationMs: number;
}

/** Pages per index transaction during a rebuild. */
const BATCH = 10_000;
export const GRAPH_VERTICES_DIR = join('graph', 'vertices');

/**
 * Builds a run's whole search index again from the shards present: one file per dataset worker
 * (`search/<worker>.sqlite`, holding that worker's seqs), each written under a temp name and
 * renamed into place; index files of workers with no shards left (replaced by curate) are removed.
 * Memory stays bounded: the chunks wait in a scratch SQLite table on disk, not in memory, and
 * pages stream row group by row group. When `graph/vertices/*.parquet` (columns url, pagerank)
 * exists, each page's PageRank percentile is half of its static rank (static-rank.ts).
 *
 * Not meant to run while a collect writes the same run: its worker index would be replaced under it.
 */
export async function rebuildRunIndex(runDir: string): Promise<RebuildResult> {
  const started = Date.now();
  const dir = join(runDir, SEARCH_DIR);
  await access(runDir).catch(() => {
    throw new SearchRunMissingError(runDir);
  });
  await mkdir(dir, { recursive: true });
  for (const f of await readdir(dir)) if (f.startsWith('.')) await rm(join(dir, f), { force: true });
  const byWorker = new Map<string, ShardName[]>();
  for (const s of await listShards(runDir, 'pages')) byWorker.set(s.worker, [...(byWorker.get(s.worker) ?? []), s]);
  const chunkShards = await listShards(runDir, 'chunks');
  const scratch = new Database(join(dir, '.scratch.tmp'));
  scratch.pragma('journal_mode = OFF');
  scratch.pragma('synchronous = OFF');
  const linkRank = await loadLinkRanks(scratch, runDir);
  const rankOf = scratch.prepare('SELECT pct FROM graph_pct WHERE url = ?').pluck();
  let pages = 0;
  const built: string[] = [];
  try {
    // Chunks of every worker: after `jarvix score` a page's row and its chunks have different workers.
    scratch.exec('CREATE TABLE chunk(url TEXT NOT NULL, chunk_index INTEGER NOT NULL, text TEXT NOT NULL)');
    const insChunk = scratch.prepare('INSERT INTO chunk VALUES (?, ?, ?)');
    for (const c of chunkShards) {
      for await (const rows of readShard(join(runDir, c.rel), { columns: CHUNK_COLUMNS })) {
        scratch.transaction(() => {
          for (const r of rows as unknown as { url: string; chunk_index: number; text: string }[]) insChunk.run(r.url, r.chunk_index, r.text);
        })();
      }
    }
    scratch.exec('CREATE INDEX chunk_url ON chunk(url)');
    const chunksOf = scratch.prepare('SELECT chunk_index, text FROM chunk WHERE url = ?');
    for (const [worker, shards] of byWorker) {
      const tmp = join(dir, `.${worker}${INDEX_SUFFIX}.tmp`);
      const db = openIndex(tmp);
      const writer = new IndexWriter(db);
      try {
        for (const s of shards) {
          let batch: IndexDoc[] = [];
          for await (const rows of readShard(join(runDir, s.rel), { columns: PAGE_COLUMNS })) {
            for (const p of rows as unknown as PageFields[]) {
              const pct = linkRank ? (rankOf.get(p.url) as number | undefined) : undefined;
              const d = toDoc(p, joinChunks(chunksOf.all(p.url) as { chunk_index: number; text: string }[]), pct ?? null);
              if (d) batch.push(d);
              if (batch.length >= BATCH) {
                pages += writer.add(worker, s.first, s.last, batch);
                batch = [];
              }
            }
          }
          pages += writer.add(worker, s.first, s.last, batch);
        }
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      built.push(worker);
    }
  } finally {
    scratch.close();
    await rm(join(dir, '.scratch.tmp'), { force: true });
  }
  for (const worker of built) {
    const final = join(dir, `${worker}${INDEX_SUFFIX}`);
    for (const suffix of ['-wal', '-shm']) await rm(`${final}${suffix}`, { force: true });
    await rename(join(dir, `.${worker}${INDEX_SUFFIX}.tmp`), final);
  }
  for (const f of await readdir(dir)) {
    if (f.startsWith('.')) await rm(join(dir, f), { force: true });
    else if (f.endsWith(INDEX_SUFFIX) && !built.includes(f.slice(0, -INDEX_SUFFIX.length))) {
      for (const suffix of ['', '-wal', '-shm']) await rm(join(dir, `${f}${suffix}`), { force: true });
    }
  }
  return { files: built.length, pages, linkRank, durationMs: Date.now() - started };
}

/** PageRank percentiles from the graph, into `graph_pct(url, pct)`; false when the run has no graph. */
async function loadLinkRanks(scratch: Database.Database, runDir: string): Promise<boolean> {
  scratch.exec('CREATE TABLE graph(url TEXT PRIMARY KEY, pagerank REAL) WITHOUT ROWID; CREATE TABLE graph_pct(url TEXT PRIMARY KEY, pct REAL) WITHOUT ROWID');
  const dir = join(runDir, GRAPH_VERTICES_DIR);
  let files: string[];
  try {
    await access(dir);
    files = (await readdir(dir)).filter((f) => f.endsWith('.parquet') && !f.startsWith('.')).sort();
  } catch {
    return false;
  }
  if (files.length === 0) return false;
  const ins = scratch.prepare('INSERT OR REPLACE INTO graph(url, pagerank) VALUES (?, ?)');
  for (const f of files) {
    for await (const rows of readShard(join(dir, f), { columns: ['url', 'pagerank'] })) {
      scratch.transaction(() => {
        for (const r of rows as { url: unknown; pagerank: unknown }[]) {
          if (typeof r.url === 'string' && typeof r.pagerank === 'number' && Number.isFinite(r.pagerank)) ins.run(r.url, r.pagerank);
        }
      })();
    }
  }
  // A percentile, not the raw value: PageRank is heavy-tailed, and the rank needs a spread in [0, 1].
  scratch.exec('INSERT INTO graph_pct SELECT url, percent_rank() OVER (ORDER BY pagerank) FROM graph');
  return true;
}
