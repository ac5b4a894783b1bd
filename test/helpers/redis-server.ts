import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { describe, it } from 'vitest';

/**
 * A real redis-server per test file, on a free loopback port: no persistence unless asked, so
 * nothing is written outside the test's temp dir. Without `redis-server` on PATH the suite is
 * skipped locally, and fails in CI (CI installs Debian's redis-server).
 */
const BINARY = 'redis-server';

export const redisMissing: string | undefined =
  spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0 ? undefined : `${BINARY} not found on PATH (apt-get install redis-server)`;

/** `describe` when redis-server is available; otherwise a skip locally, a failing test in CI. */
export function describeWithRedis(name: string, fn: () => void): void {
  if (redisMissing === undefined) {
    describe(name, fn);
  } else if (process.env.CI) {
    describe(name, () => {
      it(`needs ${BINARY}`, () => {
        throw new Error(`${redisMissing}: CI must install it`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${redisMissing})`, fn);
  }
}

export interface RedisServerOptions {
  /** Extra arguments, e.g. ['--appendonly', 'yes', '--dir', tmp] or ['--requirepass', 'pw']. */
  args?: readonly string[];
  /** Also listen with TLS on another free port (redis-server built with TLS, as Debian's is). */
  tls?: { certFile: string; keyFile: string };
}

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>/<db>`, with `:<password>@` when given; `rediss://` to the TLS port with `tls`. */
  url(options?: { password?: string; db?: number; tls?: boolean }): string;
  /** Ends the server with SIGKILL (no shutdown save), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same arguments. */
  restart(): Promise<void>;
  /** Ends it gracefully; idempotent. */
  stop(): Promise<void>;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const tlsPort = options.tls === undefined ? undefined : await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.args ?? [])];
  if (options.tls !== undefined) {
    args.push('--tls-port', String(tlsPort), '--tls-cert-file', options.tls.certFile, '--tls-key-file', options.tls.keyFile, '--tls-auth-clients', 'no');
  }
  let proc: ChildProcess | undefined = await launch(args, port);
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
    const exited = once(p, 'exit');
    p.kill(signal);
    await exited;
  };
  return {
    port,
    url: ({ password, db = 0, tls = false } = {}) =>
      `${tls ? 'rediss' : 'redis'}://${password === undefined ? '' : `:${encodeURIComponent(password)}@`}127.0.0.1:${tls ? tlsPort : port}/${db}`,
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      proc = await launch(args, port);
    },
    stop: () => end('SIGTERM'),
  };
}

async function launch(args: string[], port: number): Promise<ChildProcess> {
  const proc = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString('utf8')).slice(-4000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) break;
    if (await answers(port)) return proc;
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.kill('SIGKILL');
  throw new Error(`${BINARY} ${args.join(' ')} did not answer PING on port ${port}:\n${output}`);
}

/** Any reply (+PONG, or -NOAUTH from a password-protected server) means it is up and loaded. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1_000, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => done(!d.toString('utf8').startsWith('-LOADING')));
  });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const addr = srv.address();
  srv.close();
  await once(srv, 'close');
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}
