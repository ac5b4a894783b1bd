import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactShards, DatasetWriter, listShards, recoverShards, scanTable } from '../../src/dataset/index.js';
import { tempDir } from '../helpers/tmp.js';
import { finalFiles, readParquet, readTable, tempFiles } from './read-back.js';
import { linkRow } from './rows-fixture.js';

describe('compactShards', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await tmp.cleanup();
  });

  /** Checkpoints 1..n of a worker, 3 links each (seq 4 split in two parts), all committed and published. */
  async function checkpoints(worker: string, n: number, from = 0): Promise<string[]> {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker, maxShardRows: 3 });
    const all: string[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const rows = seq === 4 ? 5 : 3;
      w.append('links', Array.from({ length: rows }, (_, i) => linkRow(from + seq * 10 + i)));
      const { shards } = await w.stage(seq);
      await w.publish(shards);
      all.push(...shards);
    }
    await w.close();
    return all;
  }

  /** All rows' src_url, sorted: file name order is not checkpoint order (`000004.1` sorts before `000004`). */
  const srcUrls = async (): Promise<string[]> => (await readTable(tmp.dir, 'links')).map((r) => r.src_url as string).sort();

  it('merges small shards into one per worker, keeping every row once and in order', async () => {
    const committedA = await checkpoints('a', 6);
    await checkpoints('b', 3, 1000);
    const before = await srcUrls();
    const r = await compactShards(tmp.dir);
    // a: seqs 1..5 (6 files, seq 4 has two parts) merged, seq 6 (newest) left; b: seqs 1..2 merged, 3 left.
    expect(r).toEqual({ merged: 2, inputs: 8, rows: 3 * 4 + 5 + 3 * 2 });
    expect(await finalFiles(tmp.dir, 'links')).toEqual([
      'links-a-000001..000005.parquet',
      'links-a-000006.parquet',
      'links-b-000001..000002.parquet',
      'links-b-000003.parquet',
    ]);
    expect(await srcUrls()).toEqual(before);
    const { metadata, rows } = await readParquet(join(tmp.dir, 'links', 'links-a-000001..000005.parquet'));
    expect(metadata.row_groups).toHaveLength(1);
    const inOrder = [1, 2, 3, 4, 5].flatMap((seq) => Array.from({ length: seq === 4 ? 5 : 3 }, (_, i) => `https://a.test/${seq * 10 + i}`));
    expect(rows.map((x) => x.src_url)).toEqual(inOrder);
    // Resume after compaction: the merged file is kept although no checkpoint names it.
    expect(await recoverShards(tmp.dir, 'a', committedA)).toEqual({ published: 0, removed: 0, missing: [] });
    expect(await srcUrls()).toEqual(before);
    // A second compaction folds the earlier merge into a bigger one once there is more.
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'a' });
    for (const seq of [7, 8]) {
      w.append('links', [linkRow(seq * 10)]);
      await w.publish((await w.stage(seq)).shards);
    }
    const after = await srcUrls();
    expect((await compactShards(tmp.dir)).inputs).toBe(3);
    expect((await finalFiles(tmp.dir, 'links')).filter((f) => f.startsWith('links-a'))).toEqual(['links-a-000001..000007.parquet', 'links-a-000008.parquet']);
    expect(await srcUrls()).toEqual(after);
  });

  it('leaves big shards alone and needs two small ones to merge', async () => {
    await checkpoints('a', 3);
    expect(await compactShards(tmp.dir, { smallBytes: 10 })).toEqual({ merged: 0, inputs: 0, rows: 0 });
    expect(await finalFiles(tmp.dir, 'links')).toHaveLength(3);
  });

  it('a crash between the rename of a merge and the removal of its inputs never shows a row twice', async () => {
    const committed = await checkpoints('a', 4);
    const before = await srcUrls();
    // Build the merge, then put its inputs back as a crash right after the rename would leave them.
    const saved = join(tmp.dir, 'saved');
    await mkdir(saved);
    for (const f of await finalFiles(tmp.dir, 'links')) await copyFile(join(tmp.dir, 'links', f), join(saved, f));
    await compactShards(tmp.dir);
    for (const f of ['links-a-000001.parquet', 'links-a-000002.parquet']) await copyFile(join(saved, f), join(tmp.dir, 'links', f));
    expect(await finalFiles(tmp.dir, 'links')).toHaveLength(5); // merge of 1..3, two of its inputs, seq 4 in two parts

    // Readers that go through listShards see each row once already...
    expect((await listShards(tmp.dir, 'links')).map((s) => s.rel)).toEqual(['links/links-a-000001..000003.parquet', 'links/links-a-000004.parquet', 'links/links-a-000004.1.parquet']);
    const scanned: unknown[] = [];
    for await (const batch of scanTable(tmp.dir, 'links')) scanned.push(...batch.map((x) => x.src_url));
    expect(scanned.sort()).toEqual(before);
    // ...and resume rolls the compaction forward.
    expect(await recoverShards(tmp.dir, 'a', committed)).toMatchObject({ removed: 2, missing: [] });
    expect(await srcUrls()).toEqual(before);
  });

  it('a crash while writing a merge leaves a temp that resume and the next compaction remove', async () => {
    const committed = await checkpoints('a', 3);
    const before = await srcUrls();
    await writeFile(join(tmp.dir, 'links', '.links-a-000001..000002.parquet.tmp'), 'torn');
    expect(await recoverShards(tmp.dir, 'a', committed)).toMatchObject({ removed: 1 });
    await writeFile(join(tmp.dir, 'links', '.links-a-000001..000002.parquet.tmp'), 'torn');
    await compactShards(tmp.dir);
    expect(await tempFiles(tmp.dir, 'links')).toEqual([]);
    expect(await srcUrls()).toEqual(before);
  });
});
