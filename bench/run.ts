/**
 * Runs every benchmark in bench/ (or those whose name contains the filter), one process each so
 * they do not disturb each other, and prints their JSON lines. Exits non-zero if any failed its
 * own correctness check.
 *   npm run bench [-- filter]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f.includes(filter))
  .sort();
let failed = 0;
for (const name of names) {
  process.stderr.write(`bench: ${name}\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) {
    failed++;
    process.stderr.write(`bench: ${name} failed (exit ${res.status})\n`);
  }
}
if (names.length === 0) process.stderr.write(`bench: nothing matches ${JSON.stringify(filter)}\n`);
process.exitCode = failed > 0 || names.length === 0 ? 1 : 0;
