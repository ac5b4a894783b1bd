import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactShards, DatasetWriter, TABLE_COLUMNS, TABLE_NAMES, type TableName } from '../../src/dataset/index.js';
import { openRunDatabase, RunDatabase, type QueryError } from '../../src/query/index.js';
import { tempDir } from '../helpers/tmp.js';
import { failure } from './harness.js';
import { asRead, PER_CHECKPOINT, T0, writeRun } from './run-fixture.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
const open: RunDatabase[] = [];
const db = async (runDir: string): Promise<RunDatabase> => {
  const d = await openRunDatabase(runDir);
  open.push(d);
  return d;
};
const counts = async (d: RunDatabase): Promise<Record<string, unknown>> =>
  (await d.query(`SELECT ${TABLE_NAMES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`))[0]!;
/** Row counts of n committed checkpoints of the fixture. */
const committed = (n: number): Record<TableName, number> => ({ pages: n * PER_CHECKPOINT.pages, links: n * PER_CHECKPOINT.links, chunks: n * PER_CHECKPOINT.chunks, errors: n * PER_CHECKPOINT.errors });
beforeEach(async () => {
  tmp = await tempDir('jarvix-query-');
});
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  await tmp.cleanup();
});

describe('RunDatabase over a run written by DatasetWriter', () => {
  it('reads back every committed row of the four tables, with schema types and values', async () => {
    const runDir = join(tmp.dir, 'runs', 'r1');
    const written = await writeRun(runDir, 3);
    const d = await db(runDir);
    expect(d.shardCounts).toEqual({ pages: 3, links: 3, chunks: 3, errors: 3 });
    expect(await counts(d)).toEqual(committed(3));

    for (const table of TABLE_NAMES) {
      // The views have exactly schema.ts's columns, in order, with its types (TIMESTAMP, not TIMESTAMPTZ).
      const described = await d.query(`DESCRIBE ${table}`);
      expect(described.map((c) => [c.column_name, c.column_type])).toEqual(TABLE_COLUMNS[table].map((c) => [c.name, c.type]));
    }

    const order: Record<TableName, string> = { pages: 'url', links: 'src_url, dst_url', chunks: 'url, chunk_index', errors: 'url, time' };
    for (const table of TABLE_NAMES) {
      const got = await d.query(`SELECT * FROM ${table} ORDER BY ${order[table]}`);
      const keys = order[table].split(', ');
      const want = written[table]
        .map((r) => asRead(r, TABLE_COLUMNS[table]))
        .sort((a, b) => {
          for (const k of keys) {
            const x = a[k] as string | Date;
            const y = b[k] as string | Date;
            if (x < y) return -1;
            if (x > y) return 1;
          }
          return 0;
        });
      expect(got, table).toEqual(want);
    }
  });

  it('gives JS values: numbers for safe BIGINTs, bigint beyond 2^53, Date, boolean, double, null', async () => {
    const runDir = join(tmp.dir, 'r');
    await writeRun(runDir, 1);
    const d = await db(runDir);
    const [row] = await d.query(`
      SELECT count(*) AS n, max(warc_record_offset) AS off, 9007199254740993::BIGINT AS big, min(fetch_time) AS first,
             bool_or(has_price) AS any_price, max(price) AS top_price, max(fetch_status) AS status, max(url_query) FILTER (WHERE false) AS none,
             any_value(typeof(fetch_time)) AS t_time, any_value(typeof(fetch_status)) AS t_status, any_value(typeof(has_price)) AS t_bool,
             any_value(typeof(price)) AS t_double, any_value(typeof(word_count)) AS t_int
      FROM pages`);
    expect(row).toEqual({
      n: 40,
      off: 5_000_000_000 + 37 * 4096,
      big: 9007199254740993n,
      first: new Date(T0),
      any_price: true,
      top_price: 36.25,
      status: 404,
      none: null,
      t_time: 'TIMESTAMP',
      t_status: 'SMALLINT',
      t_bool: 'BOOLEAN',
      t_double: 'DOUBLE',
      t_int: 'INTEGER',
    });
    // Timestamps are UTC whatever the machine's zone.
    expect(await d.query("SELECT strftime(min(fetch_time), '%Y-%m-%d %H:%M:%S.%g') AS s, current_setting('TimeZone') AS tz FROM pages")).toEqual([
      { s: '2024-01-02 03:04:05.678', tz: 'UTC' },
    ]);
  });

  it('works on an empty run: every table is an empty typed view', async () => {
    const fresh = join(tmp.dir, 'fresh');
    await (await DatasetWriter.open({ runDir: fresh, worker: 'w1' })).close(); // the table folders, no shard
    const bare = join(tmp.dir, 'bare');
    await mkdir(bare); // not even the folders
    for (const runDir of [fresh, bare]) {
      const d = await db(runDir);
      expect(d.shardCounts).toEqual({ pages: 0, links: 0, chunks: 0, errors: 0 });
      expect(await counts(d)).toEqual({ pages: 0, links: 0, chunks: 0, errors: 0 });
      expect((await d.query('DESCRIBE errors')).map((c) => c.column_type)).toEqual(TABLE_COLUMNS.errors.map((c) => c.type));
      expect(await d.query('SELECT fetch_status, count(*) AS n FROM pages GROUP BY 1')).toEqual([]);
    }
  });

  it('never shows a staged but unpublished shard, nor a temp file; the file list is fixed until refresh()', async () => {
    const runDir = join(tmp.dir, 'r');
    await writeRun(runDir, 2, 1); // checkpoint 3 is staged (a whole temp file) but not committed
    await writeFile(join(runDir, 'pages', '.pages-w2-000001.parquet.tmp'), 'PAR1 half-written'); // another worker mid-write
    expect((await readdir(join(runDir, 'pages'))).filter((f) => f.endsWith('.tmp'))).toHaveLength(2);

    const before = await db(runDir);
    expect(await counts(before)).toEqual(committed(2));
    expect(await before.query('SELECT count(*) AS n FROM pages WHERE url LIKE \'%/p/8_\' OR url LIKE \'%/p/9_\' OR url LIKE \'%/p/1__\'')).toEqual([{ n: 0 }]);

    // The checkpoint commits: a database opened before keeps its list; refresh() or a new one sees it.
    const w = await DatasetWriter.open({ runDir, worker: 'w1' });
    await w.publish(['pages/pages-w1-000003.parquet', 'links/links-w1-000003.parquet', 'chunks/chunks-w1-000003.parquet', 'errors/errors-w1-000003.parquet']);
    await w.close();
    expect((await counts(before)).pages).toBe(80);
    await before.refresh();
    expect(await counts(before)).toEqual(committed(3));
    expect((await counts(await db(runDir))).pages).toBe(120);
  });

  it('counts rows once while a compaction and its inputs both exist', async () => {
    const runDir = join(tmp.dir, 'r');
    await writeRun(runDir, 3);
    const aside = join(tmp.dir, 'aside');
    await mkdir(aside);
    const inputs = (await readdir(join(runDir, 'pages'))).filter((f) => f.endsWith('.parquet'));
    for (const f of inputs) await copyFile(join(runDir, 'pages', f), join(aside, f));
    expect((await compactShards(runDir)).merged).toBeGreaterThan(0);
    const after = (await readdir(join(runDir, 'pages'))).filter((f) => f.endsWith('.parquet'));
    expect(after.some((f) => f.includes('..'))).toBe(true);
    // The instant between the merged file's rename and the removal of its inputs:
    for (const f of inputs) await copyFile(join(aside, f), join(runDir, 'pages', f));
    const d = await db(runDir);
    expect(d.shardCounts.pages).toBe(after.length);
    expect(await d.query('SELECT count(*) AS n, count(DISTINCT url) AS urls FROM pages')).toEqual([{ n: 120, urls: 120 }]);
  });

  it('streams a big result in bounded batches and gives the connection back on break', async () => {
    const d = await db(tmp.dir);
    let rows = 0;
    let sum = 0;
    let batches = 0;
    for await (const batch of d.rows('SELECT range AS i FROM range(10000)')) {
      batches++;
      expect(batch.length).toBeLessThanOrEqual(2048);
      for (const r of batch) sum += r.i as number;
      rows += batch.length;
    }
    expect({ rows, sum, batches: batches > 1 }).toEqual({ rows: 10000, sum: (9999 * 10000) / 2, batches: true });

    const cursor = await d.cursor('SELECT range AS i, range::VARCHAR AS s, NULL::INTEGER AS z FROM range(100000)');
    expect(cursor.columns).toEqual([
      { name: 'i', type: 'BIGINT' },
      { name: 's', type: 'VARCHAR' },
      { name: 'z', type: 'INTEGER' },
    ]);
    for await (const batch of cursor.textRows()) {
      expect(batch[0]).toEqual(['0', '0', null]);
      break;
    }
    // The broken-off cursor is closed: nothing more comes, and the database still answers.
    let more = 0;
    for await (const batch of cursor) more += batch.length;
    expect(more).toBe(0);
    expect(await d.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('RunDatabase errors', () => {
  it('bad SQL: JVX_ERR_QUERY_SQL with DuckDB\'s message', async () => {
    const d = await db(tmp.dir);
    const syntax = await failure(d.query('SELEC 1'));
    expect(syntax.code).toBe('JVX_ERR_QUERY_SQL');
    expect(syntax.message).toMatch(/syntax error at or near "SELEC"/);
    const binder = await failure(d.query('SELECT no_such_column FROM pages'));
    expect(binder.code).toBe('JVX_ERR_QUERY_SQL');
    expect(binder.message).toMatch(/no_such_column/);
    // Failing at run time, after the result started streaming:
    const runtime = await failure(d.query("SELECT CAST(CASE WHEN range > 5000 THEN 'x' ELSE '1' END AS INTEGER) FROM range(10000)"));
    expect(runtime.code).toBe('JVX_ERR_QUERY_SQL');
    expect(runtime.message).toMatch(/Conversion Error/);
    expect(await d.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it('a missing run folder: JVX_ERR_QUERY_RUN_NOT_FOUND naming it', async () => {
    const missing = join(tmp.dir, 'runs', 'nope');
    const err = await failure(openRunDatabase(missing));
    expect(err.code).toBe('JVX_ERR_QUERY_RUN_NOT_FOUND');
    expect((err as QueryError & { runDir: string }).runDir).toBe(missing);
    expect(err.message).toContain(missing);
  });

  it('a committed shard DuckDB cannot read: JVX_ERR_QUERY_SHARDS_UNREADABLE naming the table', async () => {
    const runDir = join(tmp.dir, 'r');
    await writeRun(runDir, 1);
    await writeFile(join(runDir, 'links', 'links-w1-000002.parquet'), 'not parquet at all');
    const err = await failure(openRunDatabase(runDir));
    expect(err.code).toBe('JVX_ERR_QUERY_SHARDS_UNREADABLE');
    expect((err as QueryError & { table: string }).table).toBe('links');
  });

  it('after close: JVX_ERR_QUERY_CLOSED; close is idempotent', async () => {
    const d = await openRunDatabase(tmp.dir);
    await d.close();
    await d.close();
    expect((await failure(d.query('SELECT 1'))).code).toBe('JVX_ERR_QUERY_CLOSED');
  });

  it('rejects unknown and bad options at the boundary', async () => {
    expect((await failure(RunDatabase.open(tmp.dir, { threads: 0 }))).code).toBe('JVX_ERR_OPTION_INVALID');
    expect((await failure(RunDatabase.open(tmp.dir, { thread: 2 } as never))).code).toBe('JVX_ERR_OPTION_UNKNOWN');
  });
});
