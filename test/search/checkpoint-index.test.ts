import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointIndex, RunSearcher } from '../../src/search/index.js';
import { tempDir } from '../helpers/tmp.js';
import { fixturePages, runDirOf, writeRun } from './fixture.js';

/** reconcile() makes the index hold exactly the committed checkpoints, whatever it held before. */
describe('CheckpointIndex.reconcile', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir();
  });
  afterAll(async () => {
    await tmp?.cleanup();
  });

  it('adds committed checkpoints it lacks, removes held ones not committed, never doubles one', async () => {
    const runDir = runDirOf(tmp.dir, 'r');
    const pages = fixturePages(120, 9);
    const shards = await writeRun(runDir, pages, 'w1', 40);
    const cps = shards.map((s, i) => ({ seq: i + 1, shards: s }));
    const count = (): number => {
      const s = new RunSearcher(runDir);
      try {
        return s.search('site:example.com', { limit: 1, candidateBudget: 1_000_000 }).total + s.search('site:example.org', { limit: 1, candidateBudget: 1_000_000 }).total + s.search('site:news.test', { limit: 1, candidateBudget: 1_000_000 }).total + s.search('site:кафе.рф', { limit: 1, candidateBudget: 1_000_000 }).total;
      } finally {
        s.close();
      }
    };

    let idx = await CheckpointIndex.open(runDir, 'w1');
    expect(await idx.reconcile(cps.slice(0, 2))).toEqual({ added: 2, removed: 0 });
    // Resume again with the same commits: nothing added twice.
    expect(await idx.reconcile(cps.slice(0, 2))).toEqual({ added: 0, removed: 0 });
    await idx.add(cps[2]!);
    idx.close();
    expect(count()).toBe(120);

    // The frontier says seq 3 is not committed (it was superseded): its pages leave the index.
    idx = await CheckpointIndex.open(runDir, 'w1');
    expect(await idx.reconcile(cps.slice(0, 2))).toEqual({ added: 0, removed: 1 });
    expect(await idx.reconcile(cps)).toEqual({ added: 1, removed: 0 });
    idx.close();
    expect(count()).toBe(120);

    // A committed checkpoint whose shards are gone (curate replaced them) adds nothing.
    await rm(join(runDir, 'search'), { recursive: true });
    for (const rel of shards[0]!) await rm(join(runDir, rel));
    idx = await CheckpointIndex.open(runDir, 'w1');
    expect(await idx.reconcile(cps)).toEqual({ added: 2, removed: 0 });
    idx.close();
    expect(count()).toBe(80);
  });
});
