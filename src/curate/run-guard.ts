import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLE_NAMES } from '../dataset/index.js';
import { lockRun } from '../run/index.js';
import { CurateRunNotFoundError, CurateRunUnsettledError } from './errors.js';
import { listDir } from './fs-util.js';

const TEMP_SHARD = /^\..+\.parquet\.tmp$/;

export interface RunLock {
  release(): Promise<void>;
}

/**
 * Takes the run for one curate or score: the run exists, no collect (of any host sharing the folder) runs on
 * it, no other curate/score holds it, and no collect checkpoint is half-published (its rows would
 * be invisible to us now and reappear after our swap).
 */
export async function acquireRun(runDir: string, command: 'curate' | 'score'): Promise<RunLock> {
  const found = await stat(runDir).catch(() => null);
  if (!found?.isDirectory()) throw new CurateRunNotFoundError(runDir);

  // The one run lock (src/run/run-lock.ts): a collect, another curate or a score holding it refuses us.
  const lock = lockRun(runDir, { command });
  const release = async (): Promise<void> => {
    lock.release();
  };

  const temps: string[] = [];
  for (const table of TABLE_NAMES) for (const name of await listDir(join(runDir, table))) if (TEMP_SHARD.test(name)) temps.push(`${table}/${name}`);
  if (temps.length > 0) {
    await release();
    throw new CurateRunUnsettledError(runDir, temps);
  }
  return { release };
}
