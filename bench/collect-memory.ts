/**
 * Peak RSS of `jarvix collect` does not grow with the size of the input. Runs the real CLI on
 * 100,000 and 1,000,000 URLs (over 10,000 hosts) whose every URL is refused by a deny pattern, so
 * the whole path runs (streamed input, SQLite frontier, leases, policy gate, checkpoints, Parquet
 * rows) without the network; prints both peaks and their ratio and fails if memory grew with the
 * input (ratio of peaks >= 1.5 for 10x the URLs) or a row is missing.
 *   node --import tsx bench/collect-memory.ts [small] [large]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/jarvix.js', import.meta.url));
const preload = fileURLToPath(new URL('./print-rss.mjs', import.meta.url));
const [small = 100_000, large = 1_000_000] = process.argv.slice(2).map(Number);

async function run(n: number): Promise<{ urls: number; seconds: number; peakRssMB: number; cpuSeconds: number; rows: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-mem-'));
  try {
    const input = join(dir, 'seeds.txt');
    const out = createWriteStream(input);
    for (let i = 0; i < n; i++) if (!out.write(`http://site-${String(i % 10_000).padStart(4, '0')}.test/p/${Math.floor(i / 10_000)}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const t0 = performance.now();
    const res = spawnSync(
      process.execPath,
      ['--import', preload, bin, 'collect', '--run', 'mem', '--data', dir, '--input', input, '--deny', 'http://*', '--no-robots', '--progress', 'none', '--json', '--checkpoint-every', '5000'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const seconds = (performance.now() - t0) / 1000;
    const usage = JSON.parse(res.stderr.trim().split('\n').at(-1)!) as { peakRssMB: number; cpuSeconds: number };
    if (res.status !== 0 && res.status !== 3) throw new Error(`collect exited ${res.status}: ${res.stderr.slice(-2000)}`);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { counts: { pages: number; refused: number } };
    if (summary.counts.pages !== n || summary.counts.refused !== n) throw new Error(`expected ${n} refused pages rows, got ${JSON.stringify(summary.counts)}`);
    return { urls: n, seconds: Math.round(seconds * 10) / 10, rows: summary.counts.pages, ...usage };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const a = await run(small);
const b = await run(large);
const ratio = Math.round((b.peakRssMB / a.peakRssMB) * 100) / 100;
process.stdout.write(`${JSON.stringify({ bench: 'collect-memory', small: a, large: b, peakRssRatio: ratio })}\n`);
if (ratio >= 1.5) throw new Error(`peak RSS grew with the input: ${a.peakRssMB} MB for ${small} URLs, ${b.peakRssMB} MB for ${large}`);
