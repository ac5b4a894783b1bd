import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteFrontier } from '../../src/frontier/index.js';
import { urlHash } from '../../src/frontier/url-hash.js';
import { tempDir } from '../helpers/tmp.js';
import { frontierConformance } from './conformance.js';
import { frontierInvariantViolations } from './sqlite-invariants.js';

const DEFAULT = { maxConcurrent: 1, delayMs: 0 };

frontierConformance('SqliteFrontier', async () => {
  const tmp = await tempDir('jarvix-frontier-');
  const path = join(tmp.dir, 'state.sqlite');
  const frontier = SqliteFrontier.open({ path, defaultHostPolicy: DEFAULT });
  return {
    frontier,
    cleanup: async () => {
      try {
        await frontier.close();
        // Every conformance test must also leave the store's counters and ready queue exact.
        expect(frontierInvariantViolations(path, DEFAULT.maxConcurrent)).toEqual([]);
      } finally {
        await tmp.cleanup();
      }
    },
  };
});

describe('SqliteFrontier (SQLite specifics)', () => {
  it('keeps URLs, leases, policies and checkpoints across close and reopen', async () => {
    const tmp = await tempDir();
    try {
      const path = join(tmp.dir, 'state.sqlite');
      const a = SqliteFrontier.open({ path, defaultHostPolicy: DEFAULT });
      await a.add([{ url: 'http://a.test/1', depth: 0 }, { url: 'http://a.test/2', depth: 2 }, { url: 'http://b.test/1', depth: 0 }]);
      await a.setHostPolicy('b.test', { maxConcurrent: 4, delayMs: 250 });
      const leased = await a.lease(1, { now: 1000, leaseMs: 60_000, worker: 'w' });
      await a.commit([leased[0]!.id], { seq: 1, worker: 'w', at: 1000, shards: ['s1'], warcs: [{ file: 'w.warc.gz', length: 10 }], counts: { fetched: 1 } });
      const stillLeased = await a.lease(1, { now: 1000, leaseMs: 60_000, worker: 'w' });
      await a.close();
      await expect(a.counts()).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_CLOSED' });

      const b = SqliteFrontier.open({ path, defaultHostPolicy: DEFAULT });
      expect(await b.counts()).toEqual({ pending: 1, leased: 1, done: 1, total: 3 });
      expect(await b.getHostPolicy('b.test')).toEqual({ maxConcurrent: 4, delayMs: 250 });
      expect((await b.lastCheckpoint('w'))!.shards).toEqual(['s1']);
      expect(await b.add([{ url: 'http://a.test/1', depth: 0 }])).toBe(0);
      expect(await b.recover({ now: 1000, worker: 'w' })).toBe(1);
      const rest = await b.lease(10, { now: 2000, leaseMs: 60_000, worker: 'w' });
      expect(rest.map((l) => l.url).sort()).toEqual(['http://a.test/2', stillLeased[0]!.url].sort());
      await b.close();
      expect(frontierInvariantViolations(path, 1)).toEqual([]);
    } finally {
      await tmp.cleanup();
    }
  });

  it('applies a changed default maxConcurrent to hosts already queued', async () => {
    const tmp = await tempDir();
    try {
      const path = join(tmp.dir, 'state.sqlite');
      const a = SqliteFrontier.open({ path, defaultHostPolicy: DEFAULT });
      await a.add([1, 2, 3].map((i) => ({ url: `http://a.test/${i}`, depth: 0 })));
      expect(await a.lease(5, { now: 1, leaseMs: 1000, worker: 'w' })).toHaveLength(1);
      await a.close();
      const b = SqliteFrontier.open({ path, defaultHostPolicy: { maxConcurrent: 3, delayMs: 0 } });
      expect(await b.lease(5, { now: 1, leaseMs: 1000, worker: 'w' })).toHaveLength(2);
      await b.close();
      expect(frontierInvariantViolations(path, 3)).toEqual([]);
    } finally {
      await tmp.cleanup();
    }
  });

  it('never drops a distinct URL whose hash collides with a known one', async () => {
    const tmp = await tempDir();
    try {
      const path = join(tmp.dir, 'state.sqlite');
      const a = SqliteFrontier.open({ path, defaultHostPolicy: DEFAULT });
      await a.add([{ url: 'http://a.test/one', depth: 0 }]);
      await a.close();
      // Force a collision: the stored URL now carries the hash of a different URL.
      const db = new Database(path);
      db.prepare('UPDATE urls SET url_hash = ?').run(urlHash('http://a.test/two'));
      db.close();
      const b = SqliteFrontier.open({ path, defaultHostPolicy: DEFAULT });
      expect(await b.add([{ url: 'http://a.test/two', depth: 0 }])).toBe(1);
      expect(await b.add([{ url: 'http://a.test/two', depth: 0 }])).toBe(0);
      expect((await b.counts()).total).toBe(2);
      await b.close();
    } finally {
      await tmp.cleanup();
    }
  });

  it('rejects bad arguments with codes and an unopenable path with the path', async () => {
    const tmp = await tempDir();
    try {
      const f = SqliteFrontier.open({ path: join(tmp.dir, 's.sqlite'), defaultHostPolicy: DEFAULT });
      await expect(f.add([{ url: 'not a url', depth: 0 }])).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_BAD_ADD' });
      await expect(f.add([{ url: 'http://a.test/', depth: -1 }])).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_BAD_ADD' });
      await expect(f.lease(1.5, { now: 0, leaseMs: 1, worker: 'w' })).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_BAD_ARGUMENT' });
      await expect(f.retry('abc', 0)).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_UNKNOWN_ID' });
      // A bad item fails its whole batch: nothing of it was added.
      await expect(f.add([{ url: 'http://ok.test/', depth: 0 }, { url: '', depth: 0 }])).rejects.toMatchObject({ code: 'JVX_ERR_FRONTIER_BAD_ADD' });
      expect((await f.counts()).total).toBe(0);
      await f.close();
      const missing = join(tmp.dir, 'no', 'such', 'dir', 's.sqlite');
      expect(() => SqliteFrontier.open({ path: missing, defaultHostPolicy: DEFAULT })).toThrow(expect.objectContaining({ code: 'JVX_ERR_FRONTIER_OPEN', path: missing }));
    } finally {
      await tmp.cleanup();
    }
  });

  it('a process killed mid-run (SIGKILL) leaves a consistent store that resumes to completion', async () => {
    const child = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
    const tmp = await tempDir();
    try {
      // Different kill moments: early (mostly adding) and later (leasing, retrying, committing).
      for (const [i, killAfterTicks] of [8, 30, 55].entries()) {
        const path = join(tmp.dir, `state-${i}.sqlite`);
        await runAndKill(child, path, killAfterTicks);
        expect(frontierInvariantViolations(path, 2)).toEqual([]);

        const f = SqliteFrontier.open({ path, defaultHostPolicy: { maxConcurrent: 2, delayMs: 0 } });
        const before = await f.counts();
        expect(before.total).toBeGreaterThan(0);
        await f.recover({ now: Date.now(), worker: 'crash' });
        const committed = new Set<string>();
        let now = Date.now() + 10_000_000; // past every retry's notBefore
        let seq = 1_000_000;
        for (;;) {
          const ls = await f.lease(200, { now, leaseMs: 60_000, worker: 'resume' });
          if (ls.length === 0) break;
          for (const l of ls) {
            expect(committed.has(l.id)).toBe(false);
            committed.add(l.id);
            await f.releaseHost(l.host, now, l.slot);
          }
          expect(await f.commit(ls.map((l) => l.id), { seq: ++seq, worker: 'resume', at: now, shards: [], warcs: [], counts: {} })).toEqual({ duplicates: [] });
          now++;
        }
        const after = await f.counts();
        expect(after).toEqual({ pending: 0, leased: 0, done: before.total, total: before.total });
        expect(committed.size).toBe(before.pending + before.leased);
        await f.close();
        expect(frontierInvariantViolations(path, 2)).toEqual([]);
      }
    } finally {
      await tmp.cleanup();
    }
  });
});

/** Runs the crash child until it has printed `ticks` progress lines, then SIGKILLs it. */
function runAndKill(script: string, path: string, ticks: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', script, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      seen += d.split('\n').filter((l) => l.startsWith('tick')).length;
      if (seen >= ticks) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`crash child ended by itself (code ${code}) after ${seen} ticks: ${stderr}`));
    });
  });
}
