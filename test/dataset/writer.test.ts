import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetWriter, scanTable, TABLE_COLUMNS, TABLE_NAMES, type TableName } from '../../src/dataset/index.js';
import { tempDir } from '../helpers/tmp.js';
import { chunkRow, errorRow, expected, linkRow, pageRow } from './rows-fixture.js';
import { finalFiles, readParquet, readTable, tempFiles } from './read-back.js';

const PARQUET: Record<string, { type: string; converted?: string; logical?: object }> = {
  VARCHAR: { type: 'BYTE_ARRAY', converted: 'UTF8', logical: { type: 'STRING' } },
  SMALLINT: { type: 'INT32', converted: 'INT_16' },
  INTEGER: { type: 'INT32' },
  BIGINT: { type: 'INT64' },
  DOUBLE: { type: 'DOUBLE' },
  BOOLEAN: { type: 'BOOLEAN' },
  TIMESTAMP: { type: 'INT64', converted: 'TIMESTAMP_MILLIS', logical: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
};

describe('DatasetWriter', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await tmp.cleanup();
  });

  it('writes every table over several stage/publish cycles and reads back every value with its type', async () => {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1', rowGroupRows: 16 });
    const written: Record<TableName, object[]> = { pages: [], links: [], chunks: [], errors: [] };
    let i = 0;
    for (let seq = 1; seq <= 4; seq++) {
      const batch: Record<TableName, object[]> = { pages: [], links: [], chunks: [], errors: [] };
      for (let k = 0; k < 25; k++, i++) {
        batch.pages.push(pageRow(i));
        batch.links.push(linkRow(i), linkRow(i + 1000));
        if (seq !== 3) batch.chunks.push(chunkRow(i)); // checkpoint 3 has no chunks: no chunks shard
        if (i % 4 === 0) batch.errors.push(errorRow(i));
      }
      for (const t of TABLE_NAMES) {
        w.append(t, batch[t]);
        written[t].push(...batch[t]);
      }
      const { shards } = await w.stage(seq);
      expect(shards).toEqual(TABLE_NAMES.filter((t) => batch[t].length > 0).map((t) => `${t}/${t}-w1-${String(seq).padStart(6, '0')}.parquet`));
      // Staged under a temp name, not yet visible.
      for (const s of shards) {
        const [t, file] = s.split('/') as [string, string];
        expect(await finalFiles(tmp.dir, t)).not.toContain(file);
        expect(await tempFiles(tmp.dir, t)).toEqual([`.${file}.tmp`]);
      }
      await w.publish(shards);
    }
    await w.close();

    for (const t of TABLE_NAMES) {
      expect(await tempFiles(tmp.dir, t)).toEqual([]);
      const rows = await readTable(tmp.dir, t);
      expect(rows).toEqual(written[t].map((r) => expected(r, TABLE_COLUMNS[t])));
    }
    // The library's own reader (for summaries and tools) gives BIGINT back as number, timestamps as Date.
    const scanned: Record<string, unknown>[] = [];
    for await (const batch of scanTable(tmp.dir, 'pages')) scanned.push(...batch);
    expect(scanned).toEqual(written.pages.map((r) => {
      const e = expected(r, TABLE_COLUMNS.pages);
      for (const c of TABLE_COLUMNS.pages) if (typeof e[c.name] === 'bigint') e[c.name] = Number(e[c.name]);
      return e;
    }));
    expect(typeof scanned[0]!.warc_record_offset).toBe('number');

    // Physical types, nullability and codec in the files themselves.
    const { metadata } = await readParquet(join(tmp.dir, 'pages', 'pages-w1-000001.parquet'));
    expect(metadata.row_groups.length).toBe(2); // 25 rows, 16 per group
    for (const t of TABLE_NAMES) {
      const file = (await finalFiles(tmp.dir, t))[0]!;
      const { metadata: m } = await readParquet(join(tmp.dir, t, file));
      const cols = TABLE_COLUMNS[t];
      expect(m.schema.slice(1).map((e) => e.name)).toEqual(cols.map((c) => c.name));
      for (const [k, c] of cols.entries()) {
        const e = m.schema[k + 1]!;
        const want = PARQUET[c.type]!;
        expect({ col: c.name, type: e.type, converted: e.converted_type, logical: e.logical_type, rep: e.repetition_type }).toEqual({
          col: c.name,
          type: want.type,
          converted: want.converted,
          logical: want.logical,
          rep: c.nullable ? 'OPTIONAL' : 'REQUIRED',
        });
      }
      for (const g of m.row_groups) for (const cc of g.columns) expect(cc.meta_data?.codec).toBe('ZSTD');
    }
  });

  it('keeps a 1 MB chunk text and non-ASCII text intact', async () => {
    const big = 'Grüße 日本 🚀 '.repeat(80_000).slice(0, 1_048_576);
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1' });
    const rows = [chunkRow(1, big), chunkRow(2), chunkRow(3, big.slice(0, 1000))];
    w.append('chunks', rows);
    await w.publish((await w.stage(1)).shards);
    const back = await readTable(tmp.dir, 'chunks');
    expect(back).toHaveLength(3);
    expect(back[0]!.text).toBe(big);
    expect(back).toEqual(rows.map((r) => expected(r, TABLE_COLUMNS.chunks)));
  });

  it('bounds row groups by bytes as well as rows', async () => {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1', rowGroupRows: 1000, rowGroupBytes: 64 * 1024 });
    w.append('chunks', Array.from({ length: 10 }, (_, i) => chunkRow(i, 'x'.repeat(20_000))));
    const { shards } = await w.stage(1);
    await w.publish(shards);
    const { metadata, rows } = await readParquet(join(tmp.dir, shards[0]!));
    expect(rows).toHaveLength(10);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([4, 4, 2]);
  });

  it('splits a checkpoint bigger than maxShardRows into parts', async () => {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1', maxShardRows: 10 });
    w.append('links', Array.from({ length: 13 }, (_, i) => linkRow(i)));
    w.append('links', Array.from({ length: 12 }, (_, i) => linkRow(100 + i)));
    const { shards } = await w.stage(7);
    expect(shards).toEqual(['links/links-w1-000007.parquet', 'links/links-w1-000007.1.parquet', 'links/links-w1-000007.2.parquet']);
    await w.publish(shards);
    const counts = await Promise.all(shards.map(async (s) => (await readParquet(join(tmp.dir, s))).rows.length));
    expect(counts).toEqual([10, 10, 5]);
  });

  it('stages exactly the rows appended before the call, even while the write is in progress', async () => {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1' });
    w.append('links', [linkRow(1), linkRow(2)]);
    const staging = w.stage(1);
    w.append('links', [linkRow(3)]); // lands in the next checkpoint
    const first = await staging;
    const second = await w.stage(2);
    await w.publish([...first.shards, ...second.shards]);
    expect((await readParquet(join(tmp.dir, first.shards[0]!))).rows.map((r) => r.src_url)).toEqual(['https://a.test/1', 'https://a.test/2']);
    expect((await readParquet(join(tmp.dir, second.shards[0]!))).rows.map((r) => r.src_url)).toEqual(['https://a.test/3']);
    expect((await w.stage(3)).shards).toEqual([]); // nothing new: no files
  });

  it('publish is idempotent and refuses a shard that was never staged', async () => {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1' });
    w.append('errors', [errorRow(1)]);
    const { shards } = await w.stage(1);
    await w.publish(shards);
    await w.publish(shards);
    expect(await finalFiles(tmp.dir, 'errors')).toEqual(['errors-w1-000001.parquet']);
    await expect(w.publish(['errors/errors-w1-000002.parquet'])).rejects.toMatchObject({ code: 'JVX_ERR_DATASET_SHARD_MISSING' });
    await expect(w.publish(['errors/errors-other-000001.parquet'])).rejects.toMatchObject({ code: 'JVX_ERR_DATASET_SHARD_NAME' });
    await expect(w.publish(['../etc/passwd'])).rejects.toMatchObject({ code: 'JVX_ERR_DATASET_SHARD_NAME' });
  });

  it('rejects bad rows whole, naming the problem by code', async () => {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1' });
    const bad = (rows: object[], table: TableName = 'links'): unknown => {
      try {
        w.append(table, rows);
      } catch (err) {
        return err;
      }
      return null;
    };
    expect(bad([linkRow(1), { ...linkRow(2), extra: 1 }])).toMatchObject({ code: 'JVX_ERR_DATASET_COLUMN_UNKNOWN', column: 'extra', rowIndex: 1 });
    expect(bad([{ ...linkRow(1), dst_url: null }])).toMatchObject({ code: 'JVX_ERR_DATASET_ROW_INVALID', column: 'dst_url' });
    expect(bad([{ ...linkRow(1), nofollow: 'yes' }])).toMatchObject({ code: 'JVX_ERR_DATASET_ROW_INVALID', column: 'nofollow' });
    expect(bad([{ ...pageRow(1), fetch_status: 70_000 }], 'pages')).toMatchObject({ code: 'JVX_ERR_DATASET_ROW_INVALID', column: 'fetch_status' });
    expect(bad([{ ...pageRow(1), fetch_time: new Date(NaN) }], 'pages')).toMatchObject({ code: 'JVX_ERR_DATASET_ROW_INVALID', column: 'fetch_time' });
    expect(bad([{ ...pageRow(1), warc_record_offset: 1.5 }], 'pages')).toMatchObject({ code: 'JVX_ERR_DATASET_ROW_INVALID', column: 'warc_record_offset' });
    expect(bad([{ ...pageRow(1), score: Number.NaN }], 'pages')).toMatchObject({ code: 'JVX_ERR_DATASET_ROW_INVALID', column: 'score' });
    expect(bad([linkRow(1)], 'nope' as TableName)).toMatchObject({ code: 'JVX_ERR_DATASET_TABLE_UNKNOWN' });
    // Nothing of the rejected batches was kept.
    expect((await w.stage(1)).shards).toEqual([]);
    await w.close();
    expect(() => w.append('links', [linkRow(1)])).toThrow(expect.objectContaining({ code: 'JVX_ERR_DATASET_CLOSED' }));
  });

  it('validates its options at the boundary', async () => {
    await expect(DatasetWriter.open({ runDir: tmp.dir, worker: 'bad/worker' })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID', option: 'dataset.worker' });
    await expect(DatasetWriter.open({ runDir: tmp.dir, worker: 'w', rowGroupRows: 0 })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID' });
    await expect(DatasetWriter.open({ runDir: tmp.dir, worker: 'w', nope: 1 } as never)).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_UNKNOWN' });
    await expect(DatasetWriter.open({ runDir: '', worker: 'w' })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID' });
    expect((await readdir(tmp.dir)).length).toBe(0);
  });
});
