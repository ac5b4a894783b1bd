/** JARVIX's default: pages behind logins or that act for a user are never crawled (issue 3). */
export const DEFAULT_BLOCKED_PATHS: readonly string[] = ['/login', '/auth', '/account', '/subscribe', '/admin', '/messages'];

/**
 * Path-prefix match on whole segments, case-insensitive (`/Admin` is the same page on most
 * servers): `/admin` blocks `/admin`, `/admin/` and `/admin/users`, not `/administration`.
 */
export class BlockedPaths {
  readonly #prefixes: string[];

  constructor(paths: readonly string[]) {
    this.#prefixes = paths
      .map((p) => p.trim().toLowerCase())
      .filter((p) => p !== '' && p !== '/')
      .map((p) => (p.startsWith('/') ? p : `/${p}`).replace(/\/+$/, ''));
  }

  /** The blocked prefix that covers this path, if any. */
  match(pathname: string): string | undefined {
    const path = pathname.toLowerCase();
    return this.#prefixes.find((p) => path === p || path.startsWith(`${p}/`));
  }
}
