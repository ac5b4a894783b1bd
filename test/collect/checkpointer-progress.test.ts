import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Checkpointer } from '../../src/collect/checkpointer.js';
import { DatasetWriter } from '../../src/dataset/index.js';
import { SqliteFrontier } from '../../src/frontier/index.js';
import { WarcWriter } from '../../src/warc/index.js';
import { linkRow } from '../dataset/rows-fixture.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Regression: progress showed done = committed + waiting, and a checkpoint took its URLs out of
 * "waiting" when it started but added them to "committed" only when it ended, so done dropped by
 * a whole checkpoint while it was written (393 → 4 → 495). `uncommitted` keeps them until then.
 */
describe('Checkpointer.uncommitted', () => {
  it('counts a checkpoint being written until it is committed, then not at all', async () => {
    const tmp = await tempDir();
    const frontier = SqliteFrontier.open({ path: join(tmp.dir, 'state.sqlite'), defaultHostPolicy: { maxConcurrent: 100, delayMs: 0 } });
    const dataset = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w0' });
    const archive = await WarcWriter.open({ dir: join(tmp.dir, 'warc'), indexDir: join(tmp.dir, 'index'), run: 'r', worker: 'w0' });
    try {
      await frontier.add(Array.from({ length: 20 }, (_, i) => ({ url: `http://cp.test/${i}`, depth: 0 })));
      const leases = await frontier.lease(20, { now: Date.now(), leaseMs: 600_000, worker: 'w0' });
      expect(leases).toHaveLength(20);
      let committed = 0;
      const seen: { stage: number[]; onCommitted: number[] } = { stage: [], onCommitted: [] };
      // The real writer, watched: what progress would read while the shards are being staged.
      const watched = {
        append: dataset.append.bind(dataset),
        publish: dataset.publish.bind(dataset),
        stage: async (seq: number) => {
          seen.stage.push(committed + cp.uncommitted);
          return dataset.stage(seq);
        },
      };
      const cp: Checkpointer = new Checkpointer({
        frontier,
        dataset: watched,
        archive,
        runDir: tmp.dir,
        worker: 'w0',
        leaseGuardMs: 1_000,
        lastSeq: 0,
        everyRecords: 1_000,
        intervalMs: 60_000,
        counts: () => ({}),
        onCommitted: (_record, info) => {
          seen.onCommitted.push(committed + cp.uncommitted);
          committed += info.urls;
        },
      });
      for (const [i, l] of leases.entries()) await cp.add(l, { links: [linkRow(i)] });
      expect(committed + cp.uncommitted).toBe(20);
      await cp.checkpoint();
      expect(seen.stage).toEqual([20]);
      expect(seen.onCommitted).toEqual([0]);
      expect(committed + cp.uncommitted).toBe(20);
      cp.abandon();
    } finally {
      await archive.close();
      await dataset.close();
      await frontier.close();
      await tmp.cleanup();
    }
  });
});
