import { describe, expect, it } from 'vitest';
import { compactedFileName, covers, parseShardFile, parseShardRel, parseTempFile, shardFileName, tempRel } from '../../src/dataset/shard-names.js';

describe('shard names', () => {
  it('round-trip and never confuse a worker with one whose name extends it', () => {
    expect(parseShardFile(shardFileName('pages', 'a', 1))).toMatchObject({ worker: 'a', first: 1, last: 1, part: 0, compacted: false });
    expect(parseShardFile(shardFileName('pages', 'a-000001', 2, 3))).toMatchObject({ worker: 'a-000001', first: 2, part: 3 });
    expect(parseShardFile(compactedFileName('links', 'w_1', 3, 1_234_567))).toMatchObject({ worker: 'w_1', first: 3, last: 1_234_567, compacted: true });
    expect(parseTempFile(tempRel('chunks/chunks-w-000009.parquet').slice('chunks/'.length))).toMatchObject({ rel: 'chunks/chunks-w-000009.parquet' });
    for (const bad of ['pages-w-1.parquet', 'pages-w-000001.parquet.tmp', 'other-w-000001.parquet', 'pages-w.x-000001.parquet', 'pages-w-000005..000001.parquet']) {
      expect(parseShardFile(bad)).toBeNull();
    }
    expect(() => parseShardRel('links/pages-w-000001.parquet')).toThrow(expect.objectContaining({ code: 'JVX_ERR_DATASET_SHARD_NAME' }));
  });

  it('a compaction covers exactly its worker and range', () => {
    const c = parseShardFile('pages-w-000002..000005.parquet')!;
    expect(covers(c, parseShardFile('pages-w-000002.parquet')!)).toBe(true);
    expect(covers(c, parseShardFile('pages-w-000005.1.parquet')!)).toBe(true);
    expect(covers(c, parseShardFile('pages-w-000003..000004.parquet')!)).toBe(true);
    expect(covers(c, c)).toBe(false);
    expect(covers(c, parseShardFile('pages-w-000006.parquet')!)).toBe(false);
    expect(covers(c, parseShardFile('pages-v-000003.parquet')!)).toBe(false);
    expect(covers(c, parseShardFile('links-w-000003.parquet')!)).toBe(false);
  });
});
