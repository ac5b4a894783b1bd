import { access, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { parseShardFile, TABLE_NAMES } from '../dataset/index.js';
import { JarvixError } from '../errors/index.js';
import { LOCK_DIR, type RunPaths } from '../run/index.js';
import { workerSequence } from '../warc/index.js';

/**
 * Resume never deletes what a user may need without being asked (docs/collect.md, "Resume").
 * Resume cuts a worker's files back to its last checkpoint; with the run state gone (state.sqlite
 * deleted, the Redis run flushed) "the last checkpoint" is nothing, and the cut would delete every
 * WARC and shard of the run. So a collect that finds data but no state refuses, and `--fresh` moves
 * the old files aside instead.
 */
export class CollectStateMissingError extends JarvixError {
  readonly runDir: string;
  readonly files: readonly string[];
  constructor(runDir: string, state: string, files: readonly string[]) {
    super(
      'JVX_ERR_COLLECT_STATE_MISSING',
      `run ${runDir} holds ${files.length} archive/dataset file(s) (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''}) but its state ${state} is gone: ` +
        'resuming would delete them. Nothing was changed. Restore the state, or pass --fresh to start over (the old files are moved to .old-<time>/ in the run folder, not deleted)',
    );
    this.runDir = runDir;
    this.files = files;
  }
}

/** `--fresh` with `--redis`: the state is shared in Redis, not in this folder; starting over is a new run id. */
export class CollectFreshRedisError extends JarvixError {
  constructor() {
    super('JVX_ERR_USAGE_FRESH_REDIS', '--fresh cannot be used with --redis (the run state is shared by every worker in Redis): start over under a new --run id');
  }
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * The WARC files, indexes and Parquet shards (final or staged) of the run, or of one worker when
 * `worker` is given; relative to the run folder.
 */
export async function archiveFiles(paths: RunPaths, worker?: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of await names(paths.warcDir)) if (worker === undefined ? /\.warc(\.gz)?$/.test(n) : workerSequence(n, worker) !== undefined) out.push(`warc/${n}`);
  if (worker === undefined) for (const n of await names(paths.indexDir)) if (n.endsWith('.cdxj')) out.push(`index/${n}`);
  for (const table of TABLE_NAMES) {
    for (const n of await names(join(paths.root, table))) {
      const bare = n.startsWith('.') && n.endsWith('.tmp') ? n.slice(1, -4) : n;
      const shard = parseShardFile(bare);
      if (shard && (worker === undefined || shard.worker === worker)) out.push(`${table}/${n}`);
    }
  }
  return out;
}

/** Embedded runs: refuses before anything opens state.sqlite when data exists without it. */
export async function refuseLostSqliteState(paths: RunPaths): Promise<void> {
  if (await exists(paths.state)) return;
  const files = await archiveFiles(paths);
  if (files.length > 0) throw new CollectStateMissingError(paths.root, paths.state, files);
}

/**
 * Any run: a worker with no checkpoint in the state but committed (final-named) shards of its own
 * lost its state (a flushed Redis run); its WARCs alone may be a legitimate crash before the first
 * checkpoint, so only final shards count here.
 */
export async function refuseLostWorkerState(paths: RunPaths, worker: string, checkpoints: number, where: string): Promise<void> {
  if (checkpoints > 0) return;
  const finals = (await archiveFiles(paths, worker)).filter((f) => !f.split('/')[1]!.startsWith('.') && f.endsWith('.parquet'));
  if (finals.length > 0) throw new CollectStateMissingError(paths.root, where, finals);
}

/**
 * `--fresh`: moves everything of the run folder (state, run.json, WARCs, indexes, shards, reports)
 * into `.old-<UTC time>/` inside it and returns that folder, or null when there was nothing to move.
 */
export async function moveRunAside(paths: RunPaths, now = new Date()): Promise<{ dir: string; moved: string[] } | null> {
  const entries = (await names(paths.root)).filter((n) => n !== LOCK_DIR && !n.startsWith('.old-'));
  if (entries.length === 0) return null;
  const dir = join(paths.root, `.old-${now.toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(dir);
  for (const n of entries) await rename(join(paths.root, n), join(dir, n));
  return { dir, moved: entries };
}

/**
 * A worker stopped (one signal) while Redis was away: its last checkpoint could not be committed.
 * Nothing committed is lost; what it finished since is fetched again on resume.
 */
export class CollectUncommittedError extends JarvixError {
  constructor(worker: string, lastSeq: number, cause: unknown) {
    super(
      'JVX_ERR_COLLECT_CHECKPOINT_UNCOMMITTED',
      `stopped without committing the last checkpoint: ${(cause as Error)?.message ?? String(cause)}. ` +
        `Everything up to checkpoint ${lastSeq} of worker ${worker} is safe; the pages finished after it are fetched again on resume ` +
        `(their leases return to the queue after --lease-ms, or at once when this worker restarts with --worker ${worker}), and resume cuts this worker's WARC and shards back to checkpoint ${lastSeq}`,
      { cause },
    );
  }
}
