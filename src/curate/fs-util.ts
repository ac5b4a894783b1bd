import { open, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, isNotFound, renameIfExists } from '../dataset/fs-sync.js';

// The durable-rename primitives live with the dataset writer; curate adds what its swap needs.
export { fsyncDir, isNotFound, renameIfExists };

/** Folder entries, [] when the folder does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

export async function unlinkIfExists(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Write, fsync, rename, fsync the folder: the file is either the old one or the whole new one. */
export async function writeFileAtomic(dir: string, name: string, text: string): Promise<void> {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  await writeFile(tmp, text);
  const fh = await open(tmp, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

export const removeTree = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });
