import { open, rename } from 'node:fs/promises';

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
