import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, isNotFound, renameIfExists } from '../fs/index.js';
import { TABLE_NAMES } from './schema.js';
import { covers, parseShardFile, parseShardRel, parseTempFile, tempRel, type ShardName } from './shard-names.js';

export interface RecoverResult {
  /** Committed shards found under their temp name and renamed into view. */
  published: number;
  /** Temps never committed, uncommitted finals, and compaction inputs already merged. */
  removed: number;
  /** Committed shards found nowhere (neither temp, final, nor inside a compaction): rows lost outside jarvix. */
  missing: string[];
}

/**
 * Resume after a crash (kill -9 included): brings one worker's shards back in line with its committed
 * checkpoints. A committed shard still under its temp name is published (the crash fell between the
 * commit and the rename); a temp never committed is deleted (the crash fell before the commit); a
 * final-named shard not committed is deleted. A compaction that was renamed into view wins over its
 * inputs, which are deleted (the crash fell between its rename and the removal of its inputs).
 */
export async function recoverShards(
  runDir: string,
  worker: string,
  committed: readonly string[],
  /** Told of every shard published or removed, so the caller can say so (nothing is changed silently). */
  onChange: (change: string) => void = () => {},
): Promise<RecoverResult> {
  const mine = new Set<string>();
  for (const rel of committed) {
    const name = parseShardRel(rel);
    if (name.worker === worker) mine.add(rel);
  }
  const result: RecoverResult = { published: 0, removed: 0, missing: [] };
  const present = new Set<string>();
  for (const table of TABLE_NAMES) {
    const dir = join(runDir, table);
    let files: string[];
    try {
      files = await readdir(dir);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      files = [];
    }
    const finals = files.map(parseShardFile).filter((s): s is ShardName => s?.worker === worker);
    const temps = files.map(parseTempFile).filter((s): s is ShardName => s?.worker === worker);
    const compactions = finals.filter((s) => s.compacted);
    const covered = (s: ShardName): boolean => compactions.some((c) => covers(c, s));
    let changed = false;

    for (const t of temps) {
      if (mine.has(t.rel) && !covered(t) && (await renameIfExists(join(runDir, tempRel(t.rel)), join(runDir, t.rel)))) {
        result.published++;
        present.add(t.rel);
        onChange(`published ${join(runDir, t.rel)} (committed before the interruption)`);
      } else {
        await removeFile(join(runDir, tempRel(t.rel)));
        result.removed++;
        onChange(`removed ${join(runDir, tempRel(t.rel))} (staged, never committed)`);
      }
      changed = true;
    }
    for (const f of finals) {
      if (covered(f) || (!f.compacted && !mine.has(f.rel))) {
        await removeFile(join(runDir, f.rel));
        result.removed++;
        onChange(`removed ${join(runDir, f.rel)} (${covered(f) ? 'merged into a compaction' : 'not committed by any checkpoint'})`);
        changed = true;
      } else {
        present.add(f.rel);
      }
    }
    for (const rel of mine) {
      if (!rel.startsWith(`${table}/`) || present.has(rel)) continue;
      const name = parseShardRel(rel);
      if (!compactions.some((c) => covers(c, name))) result.missing.push(rel);
    }
    if (changed) await fsyncDir(dir);
  }
  return result;
}

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
