import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The one way jarvix makes a file survive `kill -9` and a power cut (docs/design.md, "Delivery
 * guarantee"): the data is fsynced under a temporary name, renamed over the final name, and the
 * folder is fsynced so the rename itself is durable. A reader, or a crash, sees the old file or the
 * whole new one, never half of it.
 */

/**
 * A rename or a new file is durable only once its directory is fsynced (POSIX): without this a power
 * loss after a checkpoint commit could lose a shard the run state says exists. Some platforms refuse
 * to fsync a directory (Windows: EISDIR/EPERM); there the rename is as durable as it gets.
 */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await fh.close();
  }
}

export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** rename, then fsync the destination folder. For a file whose bytes are already fsynced. */
export async function renameDurable(from: string, to: string): Promise<void> {
  await rename(from, to);
  await fsyncDir(dirname(to));
}

/** A finished temporary file becomes `final`: fsync it, rename it, fsync the folder. */
export async function commitFile(temp: string, final: string): Promise<void> {
  await fsyncFile(temp);
  await renameDurable(temp, final);
}

/** A temporary name beside `path` (same folder, so the rename stays on one file system), hidden. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
}

/** Writes `data` to `path` durably: temp file, fsync, rename, fsync folder. The temp is removed on failure. */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data);
    await commitFile(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** rename() that reports ENOENT as false instead of throwing; other errors propagate. */
export async function renameIfExists(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
