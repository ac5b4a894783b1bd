import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { redisMissing } from './redis-server.js';

/**
 * A real Redis Cluster per test file on loopback: `primaries` primaries with one replica each,
 * created with `redis-cli --cluster create … --cluster-replicas 1` (the way operators do it), no
 * persistence, a 1 s node timeout so a killed primary fails over in about two seconds. Without
 * redis-server / redis-cli the suite is skipped locally and fails in CI (CI installs both).
 */
const CLI = 'redis-cli';
const cliMissing = spawnSync(CLI, ['--version'], { stdio: 'ignore' }).status === 0 ? undefined : `${CLI} not found on PATH (apt-get install redis-tools)`;
export const clusterMissing: string | undefined = redisMissing ?? cliMissing;

export function describeWithRedisCluster(name: string, fn: () => void): void {
  if (clusterMissing === undefined) describe(name, fn);
  else if (process.env.CI) {
    describe(name, () => {
      it('needs redis-server and redis-cli', () => {
        throw new Error(`${clusterMissing}: CI must install it`);
      });
    });
  } else describe.skip(`${name} (skipped: ${clusterMissing})`, fn);
}


export interface ClusterNode {
  readonly port: number;
  readonly id: string;
  readonly role: 'master' | 'slave';
  /** Slot ranges served (primaries only), e.g. [[0, 5460]]. */
  readonly slots: [number, number][];
}

export interface RedisCluster {
  /** `redis://127.0.0.1:<port>` of the first node: a seed from which clients discover the rest. */
  readonly url: string;
  readonly ports: readonly number[];
  /** The nodes as one live node sees them now (killed nodes excluded). */
  nodes(): Promise<ClusterNode[]>;
  /** SIGKILL of one node, as a crash would. */
  kill(port: number): Promise<void>;
  /** Waits until every live node reports cluster_state:ok and each slot has a live primary. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Runs redis-cli against a live node; throws on a non-zero exit. */
  cli(args: readonly string[]): string;
  stop(): Promise<void>;
}

export async function startRedisCluster(options: { primaries?: number; replicas?: number } = {}): Promise<RedisCluster> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicas ?? 1;
  const dir = await mkdtemp(join(tmpdir(), 'jarvix-cluster-'));
  const ports: number[] = [];
  while (ports.length < primaries * (1 + replicas)) {
    const p = await freeClusterPort();
    if (!ports.includes(p)) ports.push(p);
  }
  const procs = new Map<number, ChildProcess>();
  const stopAll = async (signal: NodeJS.Signals): Promise<void> => {
    await Promise.all([...procs.entries()].map(async ([port, p]) => {
      procs.delete(port);
      if (p.exitCode !== null || p.signalCode !== null) return;
      const exited = once(p, 'exit');
      p.kill(signal);
      await exited;
    }));
  };
  try {
    for (const port of ports) {
      procs.set(port, spawn('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout', '1000', '--dir', dir, '--save', '', '--appendonly', 'no', '--cluster-allow-replica-migration', 'no', '--cluster-replica-validity-factor', '0',
      ], { stdio: 'ignore' }));
    }
    for (const port of ports) await waitPing(port);
    const create = spawnSync(CLI, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8', timeout: 60_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
  } catch (err) {
    await stopAll('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const live = (): number => {
    for (const [port, p] of procs) if (p.exitCode === null && p.signalCode === null) return port;
    throw new Error('no live cluster node');
  };
  const cluster: RedisCluster = {
    url: `redis://127.0.0.1:${ports[0]}`,
    ports,
    nodes: async () => parseNodes(await clusterNodes(live())),
    kill: async (port) => {
      const p = procs.get(port);
      procs.delete(port);
      if (p === undefined || p.exitCode !== null) return;
      const exited = once(p, 'exit');
      p.kill('SIGKILL');
      await exited;
    },
    waitHealthy: async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let ok = true;
        for (const port of procs.keys()) {
          const info = await command(port, ['CLUSTER', 'INFO']).catch(() => '');
          if (!/cluster_state:ok/.test(info)) ok = false;
        }
        if (ok) {
          const nodes = parseNodes(await clusterNodes(live()));
          const served = nodes.filter((n) => n.role === 'master' && procs.has(n.port)).reduce((s, n) => s + n.slots.reduce((t, [a, b]) => t + b - a + 1, 0), 0);
          if (served === 16_384) return;
        }
        if (Date.now() > deadline) throw new Error(`the cluster did not become healthy:\n${await clusterNodes(live()).catch(String)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    cli: (args) => {
      const r = spawnSync(CLI, args, { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    },
    stop: async () => {
      await stopAll('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.waitHealthy();
  return cluster;
}

function parseNodes(text: string): ClusterNode[] {
  return text.trim().split('\n').filter((l) => !/\b(fail|noaddr)\b/.test(l.split(' ')[2] ?? '')).map((line) => {
    const f = line.split(' ');
    const port = Number(/:(\d+)@/.exec(f[1]!)?.[1]);
    const slots = f.slice(8).filter((s) => /^\d/.test(s)).map((s) => {
      const [a, b] = s.split('-');
      return [Number(a), Number(b ?? a)] as [number, number];
    });
    return { port, id: f[0]!, role: f[2]!.includes('master') ? 'master' : 'slave', slots };
  });
}

async function clusterNodes(port: number): Promise<string> {
  return command(port, ['CLUSTER', 'NODES']);
}

async function command(port: number, args: string[]): Promise<string> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  r.on('error', () => {});
  try {
    await r.connect();
    return String(await r.call(args[0]!, ...args.slice(1)));
  } finally {
    r.disconnect();
  }
}

async function waitPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if ((await command(port, ['PING']).catch(() => '')) === 'PONG') return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A free port whose cluster bus port (+10000) is free too. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const p = await listenFree(0);
    if (p + 10_000 <= 65_535 && (await listenFree(p + 10_000).then(() => true, () => false))) return p;
  }
}

async function listenFree(port: number): Promise<number> {
  const srv = createServer();
  srv.listen(port, '127.0.0.1');
  await Promise.race([once(srv, 'listening'), once(srv, 'error').then(([e]) => Promise.reject(e as Error))]);
  const addr = srv.address();
  srv.close();
  await once(srv, 'close');
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}
