import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SRC_DIR = new URL('../../src/', import.meta.url).pathname;

/** Every .ts file under src/, with its text and its path relative to the repository. */
export async function* sourceFiles(dir = SRC_DIR): AsyncGenerator<{ path: string; text: string }> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sourceFiles(p);
    else if (e.name.endsWith('.ts')) yield { path: `src/${p.slice(SRC_DIR.length)}`, text: await readFile(p, 'utf8') };
  }
}
