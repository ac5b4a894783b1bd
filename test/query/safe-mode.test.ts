import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunDatabase, type RunDatabase } from '../../src/query/index.js';
import { tempDir } from '../helpers/tmp.js';
import { failure, jarvixQuery } from './harness.js';
import { writeRun } from './run-fixture.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let runDir: string;
let outside: string;

beforeAll(async () => {
  tmp = await tempDir('jarvix-query-safe-');
  runDir = join(tmp.dir, 'data', 'runs', 'shop');
  await writeRun(runDir, 2);
  outside = join(tmp.dir, 'secret.csv');
  await writeFile(outside, 'secret\nhunter2\n');
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('RunDatabase safe mode', () => {
  // Each is an escape that works without safe mode (checked below for the first three).
  const escapes = (dir: string): [string, string][] => [
    ['read a file', `SELECT * FROM read_csv('${outside}')`],
    ['read /etc/passwd', "SELECT * FROM read_csv('/etc/passwd', sep = ':', header = false)"],
    ['read a file as text', `SELECT content FROM read_text('${outside}')`],
    ['list files', "SELECT * FROM glob('/etc/*')"],
    ['copy out', `COPY (SELECT 1 AS a) TO '${join(dir, 'out.csv')}'`],
    ['copy over a shard', `COPY (SELECT 1 AS a) TO '${join(runDir, 'pages', 'pages-evil-000001.parquet')}' (FORMAT parquet)`],
    ['copy inside select-like text', `EXPLAIN ANALYZE COPY (SELECT 1) TO '${join(runDir, 'pages', 'x.csv')}'`],
    ['attach a file', `ATTACH '${join(dir, 'x.duckdb')}' AS x`],
    ['attach memory', "ATTACH ':memory:' AS m"],
    ['install', 'INSTALL httpfs'],
    ['load', 'LOAD httpfs'],
    ['set', 'SET enable_external_access = true'],
    ['create', 'CREATE TABLE t AS SELECT 1'],
    ['export', `EXPORT DATABASE '${join(dir, 'export')}'`],
    ['a select then a copy', `SELECT 1; COPY (SELECT 1) TO '${join(dir, 'two.csv')}'`],
  ];

  it('refuses every escape with JVX_ERR_QUERY_UNSAFE, and writes nothing', async () => {
    const db = await openRunDatabase(runDir, { safe: true });
    try {
      for (const [what, sql] of escapes(tmp.dir)) {
        const err = await failure(db.query(sql));
        expect({ what, code: err.code }).toEqual({ what, code: 'JVX_ERR_QUERY_UNSAFE' });
      }
      const err = await failure(db.copyTo('SELECT 1', join(tmp.dir, 'copy.parquet'), 'parquet'));
      expect(err.code).toBe('JVX_ERR_QUERY_UNSAFE');
    } finally {
      await db.close();
    }
    expect((await readdir(tmp.dir)).sort()).toEqual(['data', 'secret.csv']);
    expect((await readdir(join(runDir, 'pages'))).filter((f) => f.includes('evil') || f.endsWith('.csv'))).toEqual([]);
  });

  it('without safe mode the same escapes work (the documented default)', async () => {
    const db = await openRunDatabase(runDir);
    try {
      expect(await db.query(`SELECT * FROM read_csv('${outside}')`)).toEqual([{ secret: 'hunter2' }]);
      await db.query(`COPY (SELECT 1 AS a) TO '${join(tmp.dir, 'out.csv')}'`);
      expect(await readFile(join(tmp.dir, 'out.csv'), 'utf8')).toBe('a\n1\n');
    } finally {
      await db.close();
    }
  });

  it('normal queries still work: the four views, DESCRIBE, SUMMARIZE, refresh', async () => {
    const db: RunDatabase = await openRunDatabase(runDir, { safe: true });
    try {
      const plain = await openRunDatabase(runDir);
      const want = await plain.query('SELECT count(*) AS n, max(url) AS u FROM pages');
      await plain.close();
      expect(await db.query('SELECT count(*) AS n, max(url) AS u FROM pages')).toEqual(want);
      expect((await db.query('FROM links JOIN pages ON pages.url = links.src_url SELECT count(*) AS n'))[0]!.n).toBeGreaterThan(0);
      expect((await db.query('DESCRIBE chunks')).length).toBeGreaterThan(3);
      expect((await db.query('SUMMARIZE errors')).length).toBeGreaterThan(3);
      expect(await db.query("SELECT 1 AS a; SELECT 'x' AS b")).toEqual([{ b: 'x' }]);
      await db.refresh();
      expect(await db.query('SELECT count(*) AS n, max(url) AS u FROM pages')).toEqual(want);
    } finally {
      await db.close();
    }
  });

  it('copyTo writes the file it was opened for, and no other', async () => {
    const target = join(tmp.dir, 'allowed.csv');
    const db = await openRunDatabase(runDir, { safe: true, copyTargets: [target] });
    try {
      const rows = await db.copyTo('SELECT url FROM pages ORDER BY url LIMIT 3', target, 'csv');
      expect(rows).toBe(3);
      expect((await readFile(target, 'utf8')).split('\n')[0]).toBe('url');
      // The user's SQL inside the copy is still held to SELECT.
      expect((await failure(db.copyTo(`SELECT * FROM read_csv('${outside}')`, target, 'csv'))).code).toBe('JVX_ERR_QUERY_UNSAFE');
    } finally {
      await db.close();
    }
  });
});

const inRun = (...args: string[]): Promise<Awaited<ReturnType<typeof jarvixQuery>>> => jarvixQuery('--data', join(tmp.dir, 'data'), '--run', 'shop', ...args);

describe('jarvix query --safe', () => {
  it('refuses a file read with exit 1 and the code; answers a SELECT; writes -o parquet', async () => {
    const bad = await inRun('--safe', "SELECT * FROM read_csv('/etc/passwd')");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^jarvix query: safe mode allows only SELECT.*\/etc\/passwd.*\[JVX_ERR_QUERY_UNSAFE\]\n$/);
    const ok = await inRun('--safe', '--format', 'csv', 'SELECT count(*) AS n FROM pages');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^n\n\d+\n$/);
    const out = join(tmp.dir, 'safe.parquet');
    const file = await inRun('--safe', '--format', 'parquet', '-o', out, 'SELECT url FROM pages');
    expect(file.code).toBe(0);
    expect(file.stderr).toMatch(/^wrote \d+ rows to /);
  });
});
