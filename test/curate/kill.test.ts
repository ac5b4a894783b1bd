import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { STAGING_DIR, SWAP_MARKER } from '../../src/curate/index.js';
import { tempDir } from '../helpers/tmp.js';
import { collectRun, runCommand, snapshot, type Snapshot } from './run-fixture.js';

const CHILD = fileURLToPath(new URL('./fixtures/curate-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the child curate with a kill point; resolves with how it ended. */
function curateAndDie(dataDir: string, runId: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD, dataDir, runId, killAt], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ signal, stdout, stderr }));
  });
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Same URLs once each, and the same derived data as the reference (a clean run's tables). */
function expectSameDataset(actual: Snapshot, reference: Snapshot): void {
  expect([...actual.pages.keys()]).toEqual([...reference.pages.keys()]);
  for (const [url, row] of reference.pages) expect(actual.pages.get(url), url).toEqual(row);
  expect(actual.links).toEqual(reference.links);
  expect(actual.chunks).toEqual(reference.chunks);
  expect(actual.errors).toEqual(reference.errors);
}

describe('kill -9 during curate', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let reference: Snapshot;
  const runDir = (): string => join(tmp.dir, 'runs', 'k');

  beforeAll(async () => {
    web = await startTestWeb({ seed: 9, hosts: 3, pagesPerHost: 40, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0 });
    tmp = await tempDir();
    await collectRun(tmp.dir, 'k', [...new Set(web.seedUrls(60))], { resolveRule: web.resolveRule });
    reference = await snapshot(runDir());
  });
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('in the middle of deriving: the tables are untouched and the next curate rolls the staging back', async () => {
    const res = await curateAndDie(tmp.dir, 'k', 'progress:30');
    expect(res.signal, res.stderr).toBe('SIGKILL');
    // Killed before the commit point: staged shards exist, the marker does not, readers see the old tables.
    expect(await exists(join(runDir(), STAGING_DIR))).toBe(true);
    expect(await exists(join(runDir(), STAGING_DIR, SWAP_MARKER))).toBe(false);
    expectSameDataset(await snapshot(runDir()), reference);

    const again = await runCommand(['curate', '--run', 'k', '--data', tmp.dir, '--threads', '1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('rolled back');
    expectSameDataset(await snapshot(runDir()), reference);
    expect(await exists(join(runDir(), STAGING_DIR))).toBe(false);
  });

  it('in the middle of the swap: the next start completes it, each URL exactly once', async () => {
    const res = await curateAndDie(tmp.dir, 'k', 'swap:pages');
    expect(res.signal, res.stderr).toBe('SIGKILL');
    // Committed (marker written), pages swapped, links/chunks/errors not yet.
    expect(await exists(join(runDir(), STAGING_DIR, SWAP_MARKER))).toBe(true);
    const linkFiles = await readdir(join(runDir(), STAGING_DIR, 'links'));
    expect(linkFiles.filter((f) => f.endsWith('.parquet')).length).toBeGreaterThan(0);

    // A score run starts by settling too: it must finish the interrupted swap before its own work.
    const again = await runCommand(['score', '--run', 'k', '--data', tmp.dir]);
    expect(again.code, again.stderr).toBe(0);
    expectSameDataset(await snapshot(runDir()), reference);
    expect(await exists(join(runDir(), STAGING_DIR))).toBe(false);
  });
});
