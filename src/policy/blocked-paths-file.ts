import { readFileSync } from 'node:fs';
import { DEFAULT_BLOCKED_PATHS } from './blocked-paths.js';
import { PolicyError } from './policy-error.js';

/**
 * `--blocked-paths none|default|FILE`: the account paths a crawl never requests. An archivist
 * lifts them (`none`) or replaces them with a policy file, one path prefix a line:
 *
 *     # comments and blank lines are ignored
 *     default        # the built-in list (/login, /auth, ...)
 *     /checkout
 *     /wp-admin
 *
 * `--block-path` entries are added to whichever list this gives.
 */
export function resolveBlockedPaths(spec: string | undefined, extra: readonly string[] = []): string[] {
  const base = spec === undefined || spec === 'default' ? [...DEFAULT_BLOCKED_PATHS] : spec === 'none' ? [] : readPolicyFile(spec);
  for (const p of extra) base.push(checkPath(p, '--block-path'));
  return [...new Set(base)];
}

function readPolicyFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyError('JVX_ERR_POLICY_BAD_BLOCKED_PATHS_FILE', '--blocked-paths', file, `expected none, default or a readable file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    if (line === 'default') out.push(...DEFAULT_BLOCKED_PATHS);
    else out.push(checkPath(line, `--blocked-paths ${file}:${i + 1}`));
  });
  return out;
}

function checkPath(path: string, where: string): string {
  if (!path.startsWith('/') || path === '/' || /\s/.test(path) || path.includes('?') || path.includes('#')) {
    throw new PolicyError('JVX_ERR_POLICY_BAD_BLOCKED_PATH', where, path, "expected a path prefix such as /login (starting with '/', not '/' alone, no spaces, query or fragment)");
  }
  return path;
}
