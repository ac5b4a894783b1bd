import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRunDatabase } from '../../src/query/index.js';
import type { TestWeb } from '../../src/testweb/index.js';
import { startCli } from '../helpers/cli.js';

/** Helpers for scale-out tests: worker processes of `jarvix collect --redis` and checks on their union. */
export interface Worker {
  readonly id: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed) and the stderr text. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

export function startWorker(id: string, args: readonly string[]): Worker {
  const child = startCli([...args, '--worker', id]);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stderr })));
  return { id, child, exited };
}

export async function writeSeeds(dir: string, urls: readonly string[]): Promise<string> {
  const input = join(dir, 'seeds.txt');
  await writeFile(input, urls.join('\n'));
  return input;
}

export function collectArgs(o: { run: string; data: string; input: string; web: TestWeb; redis: string; extra?: readonly string[] }): string[] {
  return [
    'collect', '--run', o.run, '--data', o.data, '--input', o.input, '--redis', o.redis,
    '--resolve', o.web.resolveRule, '--allow-private', '--delay-ms', '30', '--timeout-ms', '2000',
    '--checkpoint-every', '20', '--checkpoint-interval-ms', '200', '--progress', 'none', '--no-extract', '--concurrent', '16',
    ...(o.extra ?? []),
  ];
}

/** url → number of pages rows holding it, over every worker's shards. */
export async function pagesPerUrl(runDir: string): Promise<Map<string, number>> {
  const db = await openRunDatabase(runDir);
  try {
    const rows = (await db.query('SELECT url, count(*)::INTEGER AS n FROM pages GROUP BY url')) as { url: string; n: number }[];
    return new Map(rows.map((r) => [r.url, r.n]));
  } finally {
    await db.close();
  }
}

/** Waits until `check` holds, polling; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
