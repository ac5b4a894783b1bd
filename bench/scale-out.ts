/**
 * Scale-out benchmark (issue 8): `jarvix collect --redis` with 1, 2 and 4 worker processes on the
 * same workload against the synthetic web with its default latency (log-normal, median 100 ms) in
 * its own process. Reports pages/s per worker count, the speed-up over one worker, Redis commands
 * per page (INFO commandstats, commands inside scripts included) and the CPU the workers used.
 *
 *   npm run build && node --import tsx bench/scale-out.ts [--urls 4000] [--hosts 1000] [--concurrent 8]
 *
 * Each worker runs at a fixed `--concurrent` ceiling, so one worker is bound by latency, not CPU:
 * the question is whether adding workers adds throughput while politeness (shared in Redis) holds.
 * Throws when a count is wrong: every URL once in the union of the workers' pages shards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startTestWebProcess } from '../src/bench/testweb-process.js';
import { openRunDatabase } from '../src/query/index.js';

const BIN = fileURLToPath(new URL('../bin/jarvix.js', import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const addr = srv.address();
  srv.close();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  const deadline = Date.now() + 10_000;
  // A fresh client per attempt: an ioredis client that failed to connect cannot connect() again.
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: async () => {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

async function commandCalls(url: string): Promise<number> {
  const c = new Redis(url);
  try {
    const info = await c.info('commandstats');
    let n = 0;
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') n += Number(m[2]);
    return n;
  } finally {
    c.disconnect();
  }
}

/** CPU time of the whole machine so far (all processes, all cores), from os.cpus(). */
function machineCpuMs(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

interface WorkerEnd {
  code: number | null;
  cpuMs: number;
  stderr: string;
}

function runWorker(args: string[]): { child: ChildProcess; done: Promise<WorkerEnd> } {
  // `time`-like CPU accounting without a shell: the child reports its own usage on exit.
  const child = spawn(process.execPath, ['--import', 'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nCPU_MS "+Math.round((u.user+u.system)/1000)+"\\n")})', BIN, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<WorkerEnd>((resolve) =>
    child.once('close', (code) => resolve({ code, cpuMs: Number(/CPU_MS (\d+)/.exec(stderr)?.[1] ?? NaN), stderr })),
  );
  return { child, done };
}

async function main(): Promise<void> {
  // Long enough (about 100 s for one worker) that each worker's start and the politeness tail at
  // the end (Crawl-delay hosts, robots.txt timeouts) weigh little against the steady state.
  const urlCount = arg('urls', 4000);
  const hosts = arg('hosts', 1000);
  const concurrent = arg('concurrent', 8);
  const web = await startTestWebProcess({ hosts, pagesPerHost: 1000, latencyMs: 100, faults: 0, seed: 5 });
  const redis = await startRedis();
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-scale-'));
  const results: Record<string, unknown>[] = [];
  try {
    // Page i of host i % hosts: every host gets urls/hosts pages, spread so no host is the bottleneck.
    const seeds = Array.from({ length: urlCount }, (_, i) => `http://site-${String(i % hosts).padStart(4, '0')}.test/p/${Math.floor(i / hosts)}`);
    const input = join(dir, 'seeds.txt');
    await writeFile(input, seeds.join('\n'));
    let base = 0;
    for (const workers of [1, 2, 4]) {
      const run = `scale-${workers}`;
      const args = [
        'collect', '--run', run, '--data', dir, '--input', input, '--redis', redis.url, '--resolve', web.resolveRule, '--allow-private',
        '--concurrent', String(concurrent), '--delay-ms', '100', '--no-extract', '--progress', 'none', '--lease-ms', '60000',
      ];
      const before = await commandCalls(redis.url);
      const machine0 = machineCpuMs();
      const started = performance.now();
      const procs = Array.from({ length: workers }, (_, i) => runWorker([...args, '--worker', `w${i + 1}`]));
      const ends = await Promise.all(procs.map((p) => p.done));
      const seconds = (performance.now() - started) / 1000;
      const machine1 = machineCpuMs();
      const calls = (await commandCalls(redis.url)) - before;
      for (const e of ends) if (e.code !== 0 && e.code !== 3) throw new Error(`a worker failed (${e.code}): ${e.stderr.slice(-2000)}`);

      const db = await openRunDatabase(join(dir, 'runs', run));
      let rows: number;
      let distinct: number;
      try {
        const [r] = (await db.query('SELECT count(*)::INTEGER AS n, count(DISTINCT url)::INTEGER AS d FROM pages')) as { n: number; d: number }[];
        rows = r!.n;
        distinct = r!.d;
      } finally {
        await db.close();
      }
      if (rows !== urlCount || distinct !== urlCount) throw new Error(`${workers} workers: ${rows} pages rows, ${distinct} distinct URLs, expected ${urlCount} of each`);
      const pagesPerSecond = urlCount / seconds;
      if (workers === 1) base = pagesPerSecond;
      const cpuSeconds = ends.reduce((n, e) => n + e.cpuMs, 0) / 1000;
      results.push({
        workers,
        seconds: +seconds.toFixed(2),
        pagesPerSecond: +pagesPerSecond.toFixed(1),
        speedup: +(pagesPerSecond / base).toFixed(2),
        redisCommandsPerPage: +(calls / urlCount).toFixed(1),
        workerCpuSeconds: +cpuSeconds.toFixed(1),
        workerCpuShare: +(cpuSeconds / seconds / cpus().length).toFixed(2),
        // Everything on the machine (workers, Redis, the synthetic web, other jobs): "not saturated" means well below 1.
        machineCpuShare: +((machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total)).toFixed(2),
      });
    }
  } finally {
    await redis.stop();
    const served = await web.stop();
    await rm(dir, { recursive: true, force: true });
    process.stdout.write(`${JSON.stringify({ bench: 'scale-out', urls: urlCount, hosts, concurrentPerWorker: concurrent, latencyMedianMs: 100, cores: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(2)), served: served.served, results })}\n`);
  }
}

await main();
