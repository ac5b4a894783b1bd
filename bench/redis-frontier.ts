/**
 * RedisFrontier benchmark (issue 8): lease + releaseHost + commit throughput with 1, 2 and 4
 * frontier clients in separate processes against one redis-server, no HTTP; Redis commands per
 * URL (INFO commandstats before/after); Redis memory per URL for both dedup modes.
 *
 *   node --import tsx bench/redis-frontier.ts [--urls 40000] [--hosts 4000] [--batch 50] [--memory-urls 200000]
 *
 * Starts its own redis-server (no persistence) on a free loopback port, or uses `--redis URL`.
 * Per client count: seed the URLs, start the clients, wait until each has opened its frontier,
 * then start them together; each leases `batch` URLs, releases their hosts and commits them as
 * one checkpoint, until nothing is pending. Throughput = URLs / (last client end - first start).
 * Throws when a count is wrong: every URL done once, no duplicates, the clients' sum = URLs.
 * Prints one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisFrontier } from '../src/frontier/redis-frontier.js';
import { seed, urls } from './frontier-seed.js';

const POLICY = { maxConcurrent: 1, delayMs: 0 };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}
const argString = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

// ---- child: one frontier client -------------------------------------------------------------

async function child(url: string, run: string, worker: string, batch: number): Promise<void> {
  const f = await RedisFrontier.open({ url, run, defaultHostPolicy: POLICY });
  process.stdout.write('ready\n');
  await once(createInterface({ input: process.stdin }), 'line');
  const start = Date.now();
  let done = 0;
  let duplicates = 0;
  let seq = 0;
  for (;;) {
    const now = Date.now();
    const ls = await f.lease(batch, { now, leaseMs: 60_000, worker });
    if (ls.length === 0) {
      const next = await f.nextReadyAt();
      if (next === undefined) break;
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    await Promise.all(ls.map((l) => f.releaseHost(l.host, now, l.slot)));
    const res = await f.commit(ls.map((l) => l.id), { seq: ++seq, worker, at: now, shards: [], warcs: [], counts: { done: ls.length } });
    duplicates += res.duplicates.length;
    done += ls.length - res.duplicates.length;
  }
  const end = Date.now();
  await f.close();
  process.stdout.write(`${JSON.stringify({ worker, start, end, done, duplicates })}\n`);
}

// ---- parent ---------------------------------------------------------------------------------

interface ClientResult { worker: string; start: number; end: number; done: number; duplicates: number }

async function runClients(url: string, run: string, n: number, batch: number): Promise<ClientResult[]> {
  const script = fileURLToPath(import.meta.url);
  const procs: ChildProcess[] = [];
  const results: Promise<ClientResult>[] = [];
  const readies: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const p = spawn(process.execPath, ['--import', 'tsx', script, '--child', url, run, `w${i}`, String(batch)], { stdio: ['pipe', 'pipe', 'inherit'] });
    procs.push(p);
    const lines = createInterface({ input: p.stdout! });
    let ready!: () => void;
    readies.push(new Promise((r) => (ready = r)));
    results.push(new Promise((resolve, reject) => {
      lines.on('line', (line) => (line === 'ready' ? ready() : resolve(JSON.parse(line) as ClientResult)));
      p.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`client w${i} exited with ${code}`))));
    }));
  }
  await Promise.all(readies);
  for (const p of procs) p.stdin!.end('go\n');
  return Promise.all(results);
}

/** Commands Redis ran since the last RESETSTAT: calls from clients (scripts) and every command incl. those inside scripts. */
async function commandStats(admin: Redis): Promise<{ scripts: number; commands: number; scriptUsec: number }> {
  const info = await admin.info('commandstats');
  let scripts = 0;
  let commands = 0;
  let scriptUsec = 0;
  for (const m of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+),usec=(\d+)/gm)) {
    const name = m[1]!;
    if (['info', 'config', 'client|setname', 'client|setinfo', 'select', 'quit', 'hello', 'memory|usage', 'scan', 'unlink'].includes(name)) continue;
    const calls = Number(m[2]);
    if (name === 'evalsha' || name === 'eval') {
      scripts += calls;
      scriptUsec += Number(m[3]);
    }
    commands += calls;
  }
  return { scripts, commands, scriptUsec };
}

async function usedMemory(admin: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await admin.info('memory'))![1]);
}

async function keyBytes(admin: Redis, pattern: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    for (const k of keys) total += Number((await admin.memory('USAGE', k, 'SAMPLES', '0')) ?? 0);
    cursor = next;
  } while (cursor !== '0');
  return total;
}

async function memoryPerUrl(url: string, admin: Redis, n: number, mode: 'exact' | 'bloom'): Promise<Record<string, number>> {
  const run = `bench-mem-${mode}`;
  const f = await RedisFrontier.open({ url, run, defaultHostPolicy: POLICY, dedup: mode, expectedUrls: n, falsePositiveRate: 0.001 });
  const before = await usedMemory(admin);
  const added = await seed(f, urls(n, 1_000, mode));
  const after = await usedMemory(admin);
  const dedup = await keyBytes(admin, mode === 'exact' ? `jvx:{${run}}:x:*` : `jvx:{${run}}:bf:*`);
  await f.dropRun();
  if (mode === 'exact' && added !== n) throw new Error(`exact dedup added ${added} of ${n}`);
  if (added < n * 0.99) throw new Error(`${mode} dedup added only ${added} of ${n}`);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return { urls: n, dedupBytesPerUrl: round(dedup / n), pendingBytesPerUrl: round((after - before) / n) };
}

async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  for (let i = 0; i < 200; i++) {
    const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    r.on('error', () => undefined);
    const ok = await r.connect().then(() => true, () => false);
    r.disconnect();
    if (ok) return { url, stop: async () => { p.kill('SIGTERM'); await once(p, 'exit'); } };
    await new Promise((r2) => setTimeout(r2, 25));
  }
  p.kill('SIGKILL');
  throw new Error('redis-server did not start (is it installed?)');
}

async function main(): Promise<void> {
  const n = arg('urls', 40_000);
  const hosts = arg('hosts', 4_000);
  const batch = arg('batch', 50);
  const memoryUrls = arg('memory-urls', 200_000);
  const given = argString('redis');
  const server = given === undefined ? await startRedis() : undefined;
  const url = given ?? server!.url;
  const admin = new Redis(url);
  try {
    const runs: Record<string, unknown>[] = [];
    for (const clients of [1, 2, 4]) {
      const run = `bench-${clients}-${Date.now()}`;
      const f = await RedisFrontier.open({ url, run, defaultHostPolicy: POLICY, expectedUrls: n });
      if ((await seed(f, urls(n, hosts, run))) !== n) throw new Error('seeding lost URLs');
      await admin.config('RESETSTAT');
      const results = await runClients(url, run, clients, batch);
      const stats = await commandStats(admin);
      const counts = await f.counts();
      await f.dropRun();
      const seconds = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1000;
      const done = results.reduce((s, r) => s + r.done, 0);
      const dups = results.reduce((s, r) => s + r.duplicates, 0);
      if (counts.done !== n || counts.total !== n || done !== n || dups !== 0) {
        throw new Error(`wrong counts with ${clients} clients: ${JSON.stringify({ counts, done, dups })}`);
      }
      runs.push({
        clients, urls: n, seconds, urlsPerSecond: Math.round(n / seconds),
        scriptCallsPerUrl: Math.round((stats.scripts / n) * 100) / 100, redisCommandsPerUrl: Math.round((stats.commands / n) * 10) / 10,
        // Time Redis spent running frontier scripts, per URL and as a share of the wall time: near 1 = Redis is the bottleneck.
        redisUsecPerUrl: Math.round((stats.scriptUsec / n) * 10) / 10, redisBusyShare: Math.round((stats.scriptUsec / 1e6 / seconds) * 100) / 100,
        perClient: results.map((r) => r.done),
      });
    }
    const tput = (c: number): number => (runs.find((r) => r.clients === c)!.urlsPerSecond as number);
    const memory = { exact: await memoryPerUrl(url, admin, memoryUrls, 'exact'), bloom: await memoryPerUrl(url, admin, memoryUrls, 'bloom') };
    console.log(JSON.stringify({
      bench: 'redis-frontier', cpus: cpus().length, loadAvg1m: Math.round(loadavg()[0]! * 100) / 100, batch, hosts,
      runs, speedup2: Math.round((tput(2) / tput(1)) * 100) / 100, speedup4: Math.round((tput(4) / tput(1)) * 100) / 100, memory,
    }));
  } finally {
    admin.disconnect();
    await server?.stop();
  }
}

if (process.argv[2] === '--child') {
  const [url, run, worker, batch] = process.argv.slice(3);
  await child(url!, run!, worker!, Number(batch));
} else {
  await main();
}
