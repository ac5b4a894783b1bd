/**
 * Redis Cluster frontier benchmark (issue 17), in one process, no HTTP:
 *
 *   node --import tsx bench/redis-cluster.ts [--urls 20000] [--batch 50] [--commit-every 1000]
 *
 * Starts one plain redis-server (the single-Redis baseline) and a Redis Cluster of 3 primaries
 * (no replicas: WAIT would add one command per write call and nothing to Redis CPU), on loopback.
 * For 1,000 and then 100,000 hosts: seeds max(urls, hosts) URLs, then drains them with lease
 * (`batch`) + releaseHost per URL + a commit every `commit-every` URLs, on both backends.
 * Reports per backend Redis commands per URL (INFO commandstats, commands inside scripts
 * included) and Redis time per URL (commandstats usec); per primary its share of keys and of
 * Redis time (spread, want within ±15% of even), and the cluster's Redis time per URL on its
 * busiest primary: one primary's time per URL over that is the throughput bound gained by
 * sharding when clients are not the bottleneck (a 2-core machine cannot show it end to end).
 * Memory per URL by structure (MEMORY USAGE of every key, grouped by kind) after seeding.
 * Throws when a count is wrong. Prints one JSON object.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisClusterFrontier } from '../src/frontier/redis-cluster-frontier.js';
import { RedisFrontier } from '../src/frontier/redis-frontier.js';
import type { Frontier } from '../src/frontier/types.js';
import { seed, urls } from './frontier-seed.js';

const POLICY = { maxConcurrent: 1, delayMs: 0 };
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
};

async function freePort(): Promise<number> {
  for (;;) {
    const srv = createServer().listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as { port: number }).port;
    srv.close();
    await once(srv, 'close');
    if (port + 10_000 <= 65_535) return port;
  }
}

async function ping(port: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const r = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    r.on('error', () => undefined);
    const ok = await r.connect().then(() => true, () => false);
    r.disconnect();
    if (ok) return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`redis-server on ${port} did not start (is it installed?)`);
}

async function startServers(n: number, cluster: boolean, dir: string): Promise<{ ports: number[]; procs: ChildProcess[] }> {
  const ports: number[] = [];
  while (ports.length < n) ports.push(await freePort());
  const procs = ports.map((port) => spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    ...(cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)] : []),
  ], { stdio: 'ignore' }));
  for (const p of ports) await ping(p);
  if (cluster) {
    const r = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cluster create failed: ${r.stdout}${r.stderr}`);
    for (;;) {
      const infos = await Promise.all(ports.map(async (p) => new Redis(p, '127.0.0.1').cluster('INFO').then(String)));
      if (infos.every((i) => i.includes('cluster_state:ok'))) break;
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  return { ports, procs };
}

async function drain(f: Frontier, batch: number, commitEvery: number): Promise<number> {
  let done = 0;
  let seq = 0;
  let ids: string[] = [];
  const commit = async (): Promise<void> => {
    const res = await f.commit(ids, { seq: ++seq, worker: 'b', at: Date.now(), shards: [], warcs: [], counts: {} });
    if (res.duplicates.length > 0) throw new Error('duplicates in a single-client drain');
    done += ids.length;
    ids = [];
  };
  for (;;) {
    const now = Date.now();
    const ls = await f.lease(batch, { now, leaseMs: 600_000, worker: 'b' });
    if (ls.length === 0) {
      if ((await f.nextReadyAt()) === undefined) break;
      continue;
    }
    await Promise.all(ls.map((l) => f.releaseHost(l.host, now, l.slot)));
    ids.push(...ls.map((l) => l.id));
    if (ids.length >= commitEvery) await commit();
  }
  if (ids.length > 0) await commit();
  return done;
}

const SKIP = new Set(['info', 'config|resetstat', 'config', 'cluster|slots', 'cluster|info', 'cluster|nodes', 'client|setname', 'client|setinfo', 'select', 'quit', 'hello', 'memory|usage', 'scan', 'unlink', 'dbsize', 'readonly', 'cluster|shards', 'command', 'command|docs']);
async function stats(nodes: Redis[]): Promise<{ commands: number; usec: number }[]> {
  return Promise.all(nodes.map(async (n) => {
    let commands = 0;
    let usec = 0;
    for (const m of (await n.info('commandstats')).matchAll(/^cmdstat_([a-z|]+):calls=(\d+),usec=(\d+)/gm)) {
      if (SKIP.has(m[1]!)) continue;
      commands += Number(m[2]);
      usec += Number(m[3]);
    }
    return { commands, usec };
  }));
}

async function memoryByKind(nodes: Redis[], n: number): Promise<Record<string, number>> {
  const kinds: Record<string, number> = {};
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', 'jvx:*', 'COUNT', 1000);
      for (const k of keys) {
        const kind = /^jvx:\{[^}]*\}:([a-z]+)/.exec(k)?.[1] ?? 'other';
        kinds[kind] = (kinds[kind] ?? 0) + Number((await node.memory('USAGE', k, 'SAMPLES', '0')) ?? 0);
      }
      cursor = next;
    } while (cursor !== '0');
  }
  return Object.fromEntries(Object.entries(kinds).sort().map(([k, v]) => [k, Math.round((v / n) * 10) / 10]));
}

const spread = (xs: number[]): number => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.round((Math.max(...xs.map((x) => Math.abs(x - mean))) / mean) * 1000) / 10;
};

async function measure(f: Frontier, nodes: Redis[], n: number, hosts: number, batch: number, commitEvery: number, tag: string): Promise<Record<string, unknown>> {
  await Promise.all(nodes.map((x) => x.config('RESETSTAT')));
  if ((await seed(f, urls(n, hosts, tag))) !== n) throw new Error('seeding lost URLs');
  const keys = await Promise.all(nodes.map((x) => x.dbsize()));
  const memory = hosts === 1_000 ? await memoryByKind(nodes, n) : undefined;
  await Promise.all(nodes.map((x) => x.config('RESETSTAT')));
  const start = Date.now();
  const done = await drain(f, batch, commitEvery);
  const seconds = (Date.now() - start) / 1000;
  const s = await stats(nodes);
  const c = await f.counts();
  if (done !== n || c.done !== n || c.total !== n) throw new Error(`wrong counts: ${JSON.stringify({ done, c })}`);
  const commands = s.reduce((a, x) => a + x.commands, 0);
  const usec = s.reduce((a, x) => a + x.usec, 0);
  return {
    urls: n, hosts, seconds, urlsPerSecond: Math.round(n / seconds),
    commandsPerUrl: Math.round((commands / n) * 100) / 100,
    redisUsecPerUrl: Math.round((usec / n) * 100) / 100,
    busiestPrimaryUsecPerUrl: Math.round((Math.max(...s.map((x) => x.usec)) / n) * 100) / 100,
    keysPerNode: keys, keySpreadPct: spread(keys),
    usecPerNode: s.map((x) => x.usec), cpuSpreadPct: spread(s.map((x) => x.usec)),
    commandsPerNode: s.map((x) => x.commands), commandSpreadPct: spread(s.map((x) => x.commands)),
    ...(memory ? { memoryBytesPerUrl: memory } : {}),
  };
}

async function main(): Promise<void> {
  const n = arg('urls', 20_000);
  const batch = arg('batch', 50);
  const commitEvery = arg('commit-every', 1_000);
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-cluster-'));
  const single = await startServers(1, false, dir);
  const cluster = await startServers(3, true, dir);
  const singleNode = [new Redis(single.ports[0]!, '127.0.0.1')];
  const clusterNodes = cluster.ports.map((p) => new Redis(p, '127.0.0.1'));
  const out: Record<string, unknown> = { bench: 'redis-cluster', batch, commitEvery, primaries: 3 };
  try {
    for (const hosts of [1_000, 100_000]) {
      const urlsN = Math.max(n, hosts);
      const run = `b${hosts}`;
      const s = await RedisFrontier.open({ url: `redis://127.0.0.1:${single.ports[0]}`, run, defaultHostPolicy: POLICY, expectedUrls: urlsN });
      const singleRes = await measure(s, singleNode, urlsN, hosts, batch, commitEvery, run);
      await s.dropRun();
      const c = await RedisClusterFrontier.open({ url: `redis://127.0.0.1:${cluster.ports[0]}`, run, defaultHostPolicy: POLICY, expectedUrls: urlsN });
      const clusterRes = await measure(c, clusterNodes, urlsN, hosts, batch, commitEvery, run);
      await c.dropRun();
      const ratio = Math.round(((clusterRes.commandsPerUrl as number) / (singleRes.commandsPerUrl as number)) * 100) / 100;
      const bound = Math.round(((singleRes.redisUsecPerUrl as number) / (clusterRes.busiestPrimaryUsecPerUrl as number)) * 100) / 100;
      out[`hosts${hosts}`] = { single: singleRes, cluster: clusterRes, commandsRatio: ratio, redisThroughputBoundVsOnePrimary: bound };
    }
  } finally {
    for (const x of [...singleNode, ...clusterNodes]) x.disconnect();
    for (const p of [...single.procs, ...cluster.procs]) p.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
