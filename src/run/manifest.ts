import { readFile } from 'node:fs/promises';
import { writeFileDurable } from '../fs/index.js';
import { hostname } from 'node:os';
import { VERSION } from '../version.js';
import { JarvixError } from '../errors/index.js';

/** run.json: what a person (or a tool) reads to know what a run is and how far it got. */
export interface RunManifest {
  run: string;
  tool: { name: 'jarvix'; version: string; node: string };
  createdAt: string;
  updatedAt: string;
  /** Per collect invocation (a resumed run has several). */
  sessions: { startedAt: string; finishedAt: string | null; host: string; pid: number; worker: string; outcome: string | null }[];
  config: Record<string, unknown>;
  counts: Record<string, number>;
  checkpoints: { count: number; last: { seq: number; worker: string; at: string } | null };
  status: 'running' | 'finished' | 'interrupted' | 'failed';
}

export class ManifestError extends JarvixError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super('JVX_ERR_RUN_MANIFEST_INVALID', `cannot read run manifest ${path}: ${(cause as Error)?.message ?? cause}`, { cause });
    this.path = path;
  }
}

export async function readManifest(path: string): Promise<RunManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ManifestError(path, err);
  }
  try {
    return JSON.parse(text) as RunManifest;
  } catch (err) {
    throw new ManifestError(path, err);
  }
}

/** Durable replace (src/fs): a kill never leaves half a manifest. */
export async function writeManifest(path: string, manifest: RunManifest): Promise<void> {
  await writeFileDurable(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function newManifest(run: string, config: Record<string, unknown>): RunManifest {
  const now = new Date().toISOString();
  return {
    run,
    tool: { name: 'jarvix', version: VERSION, node: process.version },
    createdAt: now,
    updatedAt: now,
    sessions: [],
    config,
    counts: {},
    checkpoints: { count: 0, last: null },
    status: 'running',
  };
}

export function startSession(m: RunManifest, worker: string): RunManifest {
  return {
    ...m,
    status: 'running',
    updatedAt: new Date().toISOString(),
    sessions: [...m.sessions.slice(-99), { startedAt: new Date().toISOString(), finishedAt: null, host: hostname(), pid: process.pid, worker, outcome: null }],
  };
}
