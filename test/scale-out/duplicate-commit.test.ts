import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Checkpointer, committedShards } from '../../src/collect/checkpointer.js';
import { refusedRows } from '../../src/collect/rows.js';
import { DatasetWriter, scanTable } from '../../src/dataset/index.js';
import { RedisFrontier } from '../../src/frontier/index.js';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Regression: a URL fetched by two workers (the first one's lease was taken back while it still
 * worked) must not reach the dataset twice. The second committer learns it lost from `commit`'s
 * duplicates; its staged shard is never published and a superseding checkpoint holds the rest.
 */
describeWithRedis('a duplicate commit between two workers', () => {
  it('publishes the loser’s other rows once and never the duplicate; resume leaves the superseded shards out', async () => {
    const server = await startRedisServer();
    const tmp = await tempDir('jarvix-dup-');
    const run = `d-${randomUUID().slice(0, 8)}`;
    const open = (): Promise<RedisFrontier> => RedisFrontier.open({ url: server.url(), run, defaultHostPolicy: { maxConcurrent: 4, delayMs: 0 }, expectedUrls: 1_000 });
    const fa = await open();
    const fb = await open();
    const da = await DatasetWriter.open({ runDir: tmp.dir, worker: 'a' });
    const db = await DatasetWriter.open({ runDir: tmp.dir, worker: 'b' });
    const archive = { sync: () => Promise.resolve([]) };
    const make = (frontier: RedisFrontier, dataset: DatasetWriter, worker: string): Checkpointer =>
      new Checkpointer({ frontier, dataset, archive, runDir: tmp.dir, worker, lastSeq: 0, everyRecords: 1_000, intervalMs: 3_600_000, leaseGuardMs: 1_000, counts: () => ({}) });
    const ca = make(fa, da, 'a');
    const cb = make(fb, db, 'b');
    try {
      await fa.add([{ url: 'http://x.test/1', depth: 0 }, { url: 'http://x.test/2', depth: 0 }]);
      const now = Date.now();
      const [shared] = await fa.lease(1, { now, leaseMs: 60_000, worker: 'a' });
      // Worker b's clock says a's lease is over: the URL comes back and b takes it too.
      await fb.recover({ now: now + 120_000 });
      const bLeases = await fb.lease(2, { now, leaseMs: 60_000, worker: 'b' });
      expect(bLeases.map((l) => l.url).sort()).toEqual(['http://x.test/1', 'http://x.test/2']);

      await ca.add(shared!, refusedRows(shared!, 'JVX_ERR_TEST', 'a', 'refused'));
      await ca.close();
      for (const l of bLeases) await cb.add(l, refusedRows(l, 'JVX_ERR_TEST', 'b', 'refused'));
      await cb.close();

      const rows: { url: string; error_message: string }[] = [];
      for await (const batch of scanTable(tmp.dir, 'pages', { columns: ['url', 'error_message'] })) rows.push(...(batch as unknown as typeof rows));
      expect(rows.map((r) => `${r.url} ${r.error_message}`).sort()).toEqual([`${shared!.url} a`, `http://x.test/2 b`]);

      const bRecords = (await fb.checkpoints()).filter((c) => c.worker === 'b');
      expect(bRecords.map((r) => r.seq)).toEqual([1, 2]);
      expect(bRecords[1]!.counts).toMatchObject({ supersedes: 1, duplicates: 1 });
      expect(committedShards(bRecords)).toEqual(bRecords[1]!.shards);
      expect((await readdir(join(tmp.dir, 'pages'))).filter((f) => f.includes('-b-')).sort()).toEqual(['pages-b-000002.parquet']);
      expect(await fa.counts()).toMatchObject({ done: 2, pending: 0, leased: 0 });
    } finally {
      await da.close();
      await db.close();
      await fa.dropRun().catch(() => {});
      await fb.close();
      await server.stop();
      await tmp.cleanup();
    }
  });
});
