import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DatasetWriter, TABLE_COLUMNS, TABLE_NAMES } from '../../src/dataset/index.js';
import { tempDir } from '../helpers/tmp.js';
import { chunkRow, errorRow, linkRow, pageRow } from './rows-fixture.js';

/** Users open the shards in DuckDB: every table, every column type, read by DuckDB itself. */
describe('dataset shards in DuckDB', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let db: DuckDBInstance;
  let con: DuckDBConnection;

  beforeAll(async () => {
    tmp = await tempDir();
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w1' });
    const n = 50;
    w.append('pages', Array.from({ length: n }, (_, i) => pageRow(i)));
    w.append('links', Array.from({ length: n }, (_, i) => linkRow(i)));
    w.append('chunks', Array.from({ length: n }, (_, i) => chunkRow(i)));
    w.append('errors', Array.from({ length: n }, (_, i) => errorRow(i)));
    await w.publish((await w.stage(1)).shards);
    await w.close();
    db = await DuckDBInstance.create(':memory:');
    con = await db.connect();
  });
  afterAll(async () => {
    con?.closeSync();
    await tmp?.cleanup();
  });

  it.each(TABLE_NAMES)('%s: DuckDB reads every column with the documented type', async (table) => {
    const glob = join(tmp.dir, table, '*.parquet');
    const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${glob}')`)).getRowObjects();
    const types = Object.fromEntries(described.map((r) => [String(r.column_name), String(r.column_type)]));
    for (const col of TABLE_COLUMNS[table]) {
      const want = col.type === 'TIMESTAMP' ? 'TIMESTAMP WITH TIME ZONE' : col.type;
      expect(types[col.name], `${table}.${col.name}`).toBe(want);
    }
    const count = (await con.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${glob}')`)).getRowObjects()[0]!.n;
    expect(count).toBe(50);
  });

  it('values survive: status, offsets past 2^32, timestamps, nulls', async () => {
    const glob = join(tmp.dir, 'pages', '*.parquet');
    const rows = (
      await con.runAndReadAll(
        `SELECT fetch_status::INTEGER AS s, warc_record_offset::VARCHAR AS off, epoch_ms(fetch_time)::BIGINT::VARCHAR AS t, price FROM read_parquet('${glob}') ORDER BY warc_record_offset NULLS LAST`,
      )
    ).getRowObjects();
    const want = pageRow(2);
    const got = rows.find((r) => r.off === String(want.warc_record_offset))!;
    expect(got.s).toBe(200);
    expect(got.t).toBe(String((want.fetch_time as Date).getTime()));
    expect(got.price).toBeCloseTo(want.price!);
    expect(rows.filter((r) => r.s === null)).toHaveLength(10);
  });
});
