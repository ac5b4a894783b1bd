import { readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, isNotFound, renameIfExists, writeFileDurable } from '../fs/index.js';

// The durable-write primitives live in src/fs; curate adds what its swap needs.
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
export const writeFileAtomic = (dir: string, name: string, text: string): Promise<void> => writeFileDurable(join(dir, name), text);

export const removeTree = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });
