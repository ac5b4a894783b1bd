import { access, open, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { cdxjNameFor, listWorkerWarcs } from './file-names.js';
import { writeCdxjFor } from './index-warc.js';

/**
 * Crash recovery at resume (docs/design.md, "Delivery guarantee"): cuts each of this worker's WARC
 * files back to its committed length, removes files the last checkpoint did not know (created
 * after it), and rebuilds the CDXJ of every file that changed or whose index was not finished.
 * `committed` is the last checkpoint's `sync()` result (names may be bare or `warc/`-prefixed).
 */
export async function repairWarcs(
  warcDir: string,
  indexDir: string,
  worker: string,
  committed: readonly { file: string; length: number }[],
  /** Told of every file removed, cut or re-indexed, so the caller can say so (nothing is changed silently). */
  onChange: (change: string) => void = () => {},
): Promise<{ truncatedFiles: number; removedFiles: number }> {
  const lengths = new Map(committed.map((c) => [basename(c.file), c.length]));
  let truncatedFiles = 0;
  let removedFiles = 0;
  for (const { name } of await listWorkerWarcs(warcDir, worker)) {
    const path = join(warcDir, name);
    const cdxj = join(indexDir, cdxjNameFor(name));
    const pending = `${cdxj}.tmp`;
    const keep = lengths.get(name);
    if (keep === undefined) {
      await rm(path, { force: true });
      const size = (await stat(path).catch(() => null))?.size ?? 0;
      await Promise.all([rm(cdxj, { force: true }), rm(pending, { force: true })]);
      onChange(`removed ${path} (${size} bytes written after the last checkpoint) and its index`);
      removedFiles++;
      continue;
    }
    const size = (await stat(path)).size;
    let changed = false;
    if (size > keep) {
      const fh = await open(path, 'r+');
      try {
        await fh.truncate(keep);
        await fh.sync();
      } finally {
        await fh.close();
      }
      onChange(`cut ${path} from ${size} to ${keep} bytes (records written after the last checkpoint)`);
      truncatedFiles++;
      changed = true;
    }
    const unfinished = await exists(pending);
    if (changed || unfinished || !(await exists(cdxj))) {
      await writeCdxjFor(path, cdxj, name);
      onChange(`rebuilt index ${cdxj}`);
      await rm(pending, { force: true });
    }
  }
  return { truncatedFiles, removedFiles };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
