#!/usr/bin/env node
/**
 * The registry our machines reach serves only the linux-x64 builds of some native packages
 * (DuckDB's bindings). `npm install` then leaves the other platforms' optional packages out of
 * package-lock.json, and `npm ci` refuses such a lock ("Missing: … from lock file"). This adds
 * the missing entries back with their os/cpu/libc constraints, exactly as npm writes them on a
 * machine that can see every platform; npm skips them on other platforms without fetching.
 * Run it after any `npm install` that changes the lock: `node scripts/lock-platform-packages.mjs`.
 * test/project/lockfile.test.ts fails when it is needed and was not run.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /-(darwin|linux|win32|freebsd)-(x64|arm64|ia32|arm)(?:-(musl|gnu))?$/;

export function missingPlatformEntries(lock) {
  const out = [];
  for (const [path, pkg] of Object.entries(lock.packages ?? {})) {
    if (!path) continue;
    for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
      const key = `node_modules/${name}`;
      const nested = `${path}/node_modules/${name}`;
      if (lock.packages[key] || lock.packages[nested]) continue;
      const m = PLATFORM.exec(name);
      if (!m) continue;
      const entry = { version, cpu: [m[2]], license: pkg.license, optional: true, os: [m[1]] };
      if (m[1] === 'linux') entry.libc = [m[3] === 'musl' ? 'musl' : 'glibc'];
      out.push([key, entry]);
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL('../package-lock.json', import.meta.url);
  const lock = JSON.parse(readFileSync(file, 'utf8'));
  const missing = missingPlatformEntries(lock);
  for (const [key, entry] of missing) lock.packages[key] = entry;
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`lock-platform-packages: added ${missing.length} entries\n`);
}
