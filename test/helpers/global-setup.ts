import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The first src/ file whose dist/ build is missing or older, or null when dist/ is fresh. */
export function staleSource(root = ROOT): string | null {
  const src = join(root, 'src');
  const walk = (dir: string): string | null => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        const found = walk(p);
        if (found) return found;
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        // A declaration file (src/types/*.d.ts) builds to nothing.
        const built = join(root, 'dist', relative(src, p)).replace(/\.ts$/, '.js');
        let builtAt: number;
        try {
          builtAt = statSync(built).mtimeMs;
        } catch {
          return p;
        }
        if (statSync(p).mtimeMs > builtAt) return p;
      }
    }
    return null;
  };
  return walk(src);
}

/**
 * CLI tests spawn bin/jarvix.js, which loads dist/: a `npx vitest run` after editing src/ would
 * test a stale build. Rebuild when any source is newer than its build; `npm test` has just built,
 * so there this costs one stat per file.
 */
export default function setup(): void {
  const stale = staleSource();
  if (stale === null) return;
  process.stderr.write(`dist/ is older than ${relative(ROOT, stale)}: building (tsc -p tsconfig.build.json)\n`);
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
  const still = staleSource();
  if (still !== null) throw new Error(`dist/ is still older than ${relative(ROOT, still)} after building`);
}
