import { open, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TABLE_NAMES } from '../dataset/index.js';
import { readManifest } from '../run/index.js';
import { CurateRunBusyError, CurateRunNotFoundError, CurateRunUnsettledError } from './errors.js';
import { listDir, unlinkIfExists } from './fs-util.js';

const LOCK_FILE = '.curate.lock';
const TEMP_SHARD = /^\..+\.parquet\.tmp$/;

export interface RunLock {
  release(): Promise<void>;
}

interface LockInfo {
  pid: number;
  host: string;
  command: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock holder on this machine whose process still exists (a kill -9 leaves a stale lock behind). */
const holds = (info: Partial<LockInfo> | undefined): info is LockInfo =>
  typeof info?.pid === 'number' && info.pid !== process.pid && info.host === hostname() && alive(info.pid);

/**
 * Takes the run for one curate or score: the run exists, no collect of this machine is running on
 * it, no other curate/score holds it, and no collect checkpoint is half-published (its rows would
 * be invisible to us now and reappear after our swap).
 */
export async function acquireRun(runDir: string, command: 'curate' | 'score'): Promise<RunLock> {
  const found = await stat(runDir).catch(() => null);
  if (!found?.isDirectory()) throw new CurateRunNotFoundError(runDir);

  const manifest = await readManifest(join(runDir, 'run.json'));
  const session = manifest?.sessions.at(-1);
  if (manifest?.status === 'running' && session && session.finishedAt === null && holds({ pid: session.pid, host: session.host })) {
    throw new CurateRunBusyError(runDir, session.pid, 'a running collect');
  }

  const lockPath = join(runDir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), command };
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(JSON.stringify(mine));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const other = await readFile(lockPath, 'utf8').then((t) => JSON.parse(t) as Partial<LockInfo>).catch(() => undefined);
      if (holds(other)) throw new CurateRunBusyError(runDir, other.pid, `jarvix ${other.command}`);
      await unlinkIfExists(lockPath);
    }
  }
  const release = async (): Promise<void> => {
    await unlinkIfExists(lockPath);
  };

  const temps: string[] = [];
  for (const table of TABLE_NAMES) for (const name of await listDir(join(runDir, table))) if (TEMP_SHARD.test(name)) temps.push(`${table}/${name}`);
  if (temps.length > 0) {
    await release();
    throw new CurateRunUnsettledError(runDir, temps);
  }
  return { release };
}
