import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JarvixError } from '../errors/index.js';

/**
 * One lock for everything that writes a run folder (collect, run, curate, score, collect --repair).
 *
 * The lock is an SQLite database file locked by SQLite itself (POSIX advisory locks): an
 * EXCLUSIVE transaction held open for the process's life. The operating system drops the lock
 * when the process ends, however it ends (kill -9 included), so there is never a stale lock to
 * clean up by hand, and no race in taking over one. A SHARED lock (a read transaction held open)
 * lets several holders coexist while keeping every exclusive taker out: scale-out workers that
 * share one run folder (docs/scale-out.md) each hold the run SHARED plus their own worker lock
 * EXCLUSIVE, so two processes never use the same worker id and no curate runs beside them.
 *
 * Who holds the lock is written beside it (`.lock/holder-<host>-<pid>.json`) only to name the
 * holder in the refusal; the files of processes that died are ignored and cleared.
 */
export const LOCK_DIR = '.lock';

export type LockMode = 'exclusive' | 'shared';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  worker?: string;
  mode: LockMode;
  since: string;
}

/** Another process works on the run (or the same worker id) right now. */
export class RunBusyError extends JarvixError {
  readonly runDir: string;
  readonly holders: readonly LockHolder[];
  constructor(runDir: string, what: string, holders: readonly LockHolder[]) {
    const named = holders.length === 0 ? 'another process (its holder file is gone)' : holders.map((h) => `jarvix ${h.command}${h.worker ? ` (worker ${h.worker})` : ''}, pid ${h.pid} on ${h.host}, since ${h.since}`).join('; ');
    super('JVX_ERR_RUN_BUSY', `${what} ${runDir} is in use by ${named}: wait for it to finish, or stop it (one Ctrl-C checkpoints and exits)`);
    this.runDir = runDir;
    this.holders = holders;
  }
}

export interface RunLock {
  readonly mode: LockMode;
  release(): void;
}

export interface LockOptions {
  command: string;
  mode?: LockMode;
  /** Also lock this worker id exclusively (scale-out workers sharing the folder). */
  worker?: string;
}

/** Takes the run folder's lock (creating the folder's `.lock/`), or throws RunBusyError naming the holder. */
export function lockRun(runDir: string, options: LockOptions): RunLock {
  const dir = join(runDir, LOCK_DIR);
  mkdirSync(dir, { recursive: true });
  const mode = options.mode ?? 'exclusive';
  const held: Database.Database[] = [];
  const releaseAll = (): void => {
    for (const db of held.splice(0)) {
      try {
        db.close();
      } catch {
        // closing drops the lock; a failed close leaves it to the process exit
      }
    }
  };
  try {
    if (!take(join(dir, 'run.sqlite'), mode, held)) throw new RunBusyError(runDir, 'run', liveHolders(dir));
    if (options.worker !== undefined && !take(join(dir, `worker-${options.worker}.sqlite`), 'exclusive', held)) {
      throw new RunBusyError(runDir, `worker ${options.worker} of run`, liveHolders(dir).filter((h) => h.worker === options.worker));
    }
  } catch (err) {
    releaseAll();
    throw err;
  }
  // Holder files of dead processes on this host are history now: clear them (liveHolders does).
  liveHolders(dir);
  const holderFile = join(dir, `holder-${safe(hostname())}-${process.pid}.json`);
  const me: LockHolder = { pid: process.pid, host: hostname(), command: options.command, mode, since: new Date().toISOString(), ...(options.worker === undefined ? {} : { worker: options.worker }) };
  writeFileSync(holderFile, `${JSON.stringify(me)}\n`);
  let released = false;
  return {
    mode,
    release: () => {
      if (released) return;
      released = true;
      rmSync(holderFile, { force: true });
      releaseAll();
    },
  };
}

/** The holders recorded in the folder, without those of processes of this host that no longer exist. */
export function liveHolders(dir: string): LockHolder[] {
  const out: LockHolder[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.startsWith('holder-') || !name.endsWith('.json')) continue;
    let h: LockHolder;
    try {
      h = JSON.parse(readFileSync(join(dir, name), 'utf8')) as LockHolder;
    } catch {
      continue;
    }
    if (h.pid === process.pid && h.host === hostname()) continue;
    if (h.host === hostname() && !alive(h.pid)) {
      rmSync(join(dir, name), { force: true });
      continue;
    }
    out.push(h);
  }
  return out;
}

function take(path: string, mode: LockMode, held: Database.Database[]): boolean {
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting for it.
  const db = new Database(path, { timeout: 0 });
  held.push(db);
  try {
    if (mode === 'exclusive') db.exec('BEGIN EXCLUSIVE');
    else {
      db.exec('BEGIN');
      // A read takes the SHARED lock; the open transaction keeps it.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '_');
