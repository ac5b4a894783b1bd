import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { JarvixError } from '../errors/index.js';

const BIN = fileURLToPath(new URL('../../bin/jarvix.js', import.meta.url));

export interface TestWebProcessOptions {
  hosts: number;
  pagesPerHost: number;
  /** Median latency; 0 = none. */
  latencyMs: number;
  faults: number;
  seed: number;
}

export interface TestWebProcess {
  readonly port: number;
  readonly resolveRule: string;
  /** Stops the server and returns what it served and what it cost. */
  stop(): Promise<{ served: number; cpuSeconds: number; peakRssMB: number }>;
}

export class BenchServerError extends JarvixError {
  constructor(message: string) {
    super('JVX_ERR_BENCH_SERVER', message);
  }
}

/**
 * The synthetic web in its own process, so the server's CPU is not charged to the client being
 * measured (on two cores, one each).
 */
export async function startTestWebProcess(o: TestWebProcessOptions): Promise<TestWebProcess> {
  const args = [BIN, 'testweb', '--json', '--port', '0', '--hosts', String(o.hosts), '--pages', String(o.pagesPerHost)];
  args.push('--latency-ms', String(o.latencyMs), '--faults', String(o.faults), '--seed', String(o.seed));
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = once(child, 'exit').then(() => null);
  exited.catch(() => {});
  const first = await Promise.race([lines.next(), exited]);
  if (first === null || first.done) throw new BenchServerError(`synthetic web process ended before it was ready: ${stderr.trim()}`);
  const ready = JSON.parse(String(first.value)) as { port: number; resolve: string };
  return {
    port: ready.port,
    resolveRule: ready.resolve,
    async stop() {
      child.kill('SIGTERM');
      const last = await lines.next();
      await exited;
      if (last.done) throw new BenchServerError(`synthetic web process ended without a summary: ${stderr.trim()}`);
      return JSON.parse(String(last.value)) as { served: number; cpuSeconds: number; peakRssMB: number };
    },
  };
}
