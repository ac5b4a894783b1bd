/**
 * Frontier benchmark (issue 3: memory must not grow with the input).
 *
 *   node --import tsx bench/frontier.ts [--urls 1000000] [--hosts 10000] [--baseline-urls 100000]
 *
 * Each size runs in its own child process (peak RSS is per process): stream N URLs over H hosts
 * into a fresh SqliteFrontier in batches from a generator, then lease + releaseHost + commit all of
 * them. Prints one JSON object: adds/s, leases/s, peak RSS per size, and the ratio of RSS growth
 * (peak - RSS after open) between the large and the baseline run, which must stay below 1.5.
 * Throws when a count is wrong: every URL added once, leased once, done, none lost or duplicated.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteFrontier, type FrontierAdd } from '../src/frontier/index.js';

interface SizeResult {
  urls: number;
  hosts: number;
  addSeconds: number;
  /** CPU (user + system) of the phase: steadier than wall time on a shared machine. */
  addCpuSeconds: number;
  addsPerSecond: number;
  leaseSeconds: number;
  leaseCpuSeconds: number;
  leasesPerSecond: number;
  rssAfterOpenMiB: number;
  peakRssMiB: number;
  rssGrowthMiB: number;
}

const BATCH = 5_000;
const LEASE_MAX = 1_000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(process.argv[i + 1]);
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

/** URLs round-robin over hosts (the worst order for the indexes), generated, never held. */
function* urls(n: number, hosts: number): Generator<FrontierAdd> {
  for (let i = 0; i < n; i++) {
    const h = i % hosts;
    yield { url: `https://h${h}.bench.test/section/${(i * 7919) % 1000}/page-${i}.html`, depth: 0, priority: i % 3 };
  }
}

const mib = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

async function runSize(n: number, hosts: number): Promise<SizeResult> {
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-frontier-'));
  try {
    const f = SqliteFrontier.open({ path: join(dir, 'state.sqlite'), defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 } });
    const rssAfterOpen = process.memoryUsage().rss;

    let t0 = performance.now();
    let c0 = process.cpuUsage();
    let added = 0;
    let batch: FrontierAdd[] = [];
    for (const u of urls(n, hosts)) {
      batch.push(u);
      if (batch.length === BATCH) {
        added += await f.add(batch);
        batch = [];
      }
    }
    if (batch.length > 0) added += await f.add(batch);
    const addSeconds = (performance.now() - t0) / 1000;
    const addCpuSeconds = cpuSeconds(c0);
    if (added !== n) throw new Error(`added ${added}, expected ${n}`);
    // Dedup: the first batch again adds nothing.
    const again = await f.add([...take(urls(n, hosts), BATCH)]);
    if (again !== 0) throw new Error(`re-adding ${BATCH} known URLs added ${again}`);

    t0 = performance.now();
    c0 = process.cpuUsage();
    let leased = 0;
    let seq = 0;
    let now = 1;
    for (;;) {
      const ls = await f.lease(LEASE_MAX, { now, leaseMs: 60_000, worker: 'bench' });
      if (ls.length === 0) break;
      leased += ls.length;
      for (const l of ls) await f.releaseHost(l.host, now, l.slot);
      const { duplicates } = await f.commit(ls.map((l) => l.id), { seq: ++seq, worker: 'bench', at: now, shards: [], warcs: [], counts: { n: ls.length } });
      if (duplicates.length > 0) throw new Error(`${duplicates.length} URLs committed twice`);
      now++;
    }
    const leaseSeconds = (performance.now() - t0) / 1000;
    const leaseCpuSeconds = cpuSeconds(c0);
    const counts = await f.counts();
    await f.close();
    if (leased !== n) throw new Error(`leased ${leased}, expected ${n}`);
    if (counts.done !== n || counts.total !== n || counts.pending !== 0 || counts.leased !== 0) {
      throw new Error(`final counts ${JSON.stringify(counts)}, expected all ${n} done`);
    }
    const peak = process.resourceUsage().maxRSS * 1024;
    return {
      urls: n,
      hosts,
      addSeconds: round(addSeconds),
      addCpuSeconds: round(addCpuSeconds),
      addsPerSecond: Math.round(n / addSeconds),
      leaseSeconds: round(leaseSeconds),
      leaseCpuSeconds: round(leaseCpuSeconds),
      leasesPerSecond: Math.round(n / leaseSeconds),
      rssAfterOpenMiB: mib(rssAfterOpen),
      peakRssMiB: mib(peak),
      rssGrowthMiB: mib(peak - rssAfterOpen),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function* take<T>(it: Iterable<T>, k: number): Generator<T> {
  if (k <= 0) return;
  let i = 0;
  for (const x of it) {
    yield x;
    if (++i >= k) return;
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

function runChild(n: number, hosts: number): Promise<SizeResult> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--child', '--urls', String(n), '--hosts', String(hosts)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench child for ${n} URLs exited with ${code}`));
      resolve(JSON.parse(out) as SizeResult);
    });
  });
}

async function main(): Promise<void> {
  const n = arg('urls', 1_000_000);
  const hosts = arg('hosts', 10_000);
  if (process.argv.includes('--child')) {
    process.stdout.write(`${JSON.stringify(await runSize(n, hosts))}\n`);
    return;
  }
  const baselineN = arg('baseline-urls', Math.max(1, Math.floor(n / 10)));
  // One after the other, never in parallel: they must not compete for the two cores.
  const baseline = await runChild(baselineN, hosts);
  const large = await runChild(n, hosts);
  const rssGrowthRatio = round(large.rssGrowthMiB / Math.max(1, baseline.rssGrowthMiB));
  const result = { bench: 'frontier', node: process.version, baseline, large, rssGrowthRatio, inputRatio: n / baselineN };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!(rssGrowthRatio < 1.5)) throw new Error(`peak RSS grows with input: ratio ${rssGrowthRatio} (>= 1.5)`);
}

await main();
