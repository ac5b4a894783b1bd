import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../../src/cli/commands/query.js';
import { readCompressors } from '../../src/dataset/index.js';
import { tempDir } from '../helpers/tmp.js';
import { Capture, jarvixQuery } from './harness.js';
import { writeRun, type FixtureRows } from './run-fixture.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let rows: FixtureRows;
let data: string;
const run = (...args: string[]): string[] => ['--data', data, '--run', 'shop', ...args];

beforeAll(async () => {
  tmp = await tempDir('jarvix-query-cli-');
  data = join(tmp.dir, 'data');
  rows = await writeRun(join(data, 'runs', 'shop'), 2);
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('jarvix query', () => {
  it('table: aligned columns, numbers right-aligned, NULL shown, a row count', async () => {
    const r = await jarvixQuery(...run("SELECT fetch_status AS status, count(*) AS n FROM pages GROUP BY 1 ORDER BY 1 NULLS LAST"));
    const want = new Map<number | null, number>();
    for (const p of rows.pages) want.set(p.fetch_status, (want.get(p.fetch_status) ?? 0) + 1);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'status |  n',
        '-------+---',
        `   200 | ${String(want.get(200)).padStart(2)}`,
        `   404 | ${String(want.get(404)).padStart(2)}`,
        `  NULL | ${String(want.get(null)).padStart(2)}`,
        '(3 rows)',
        '',
      ].join('\n'),
    );
  });

  it('table: long values cut to --max-width, line breaks kept on one line', async () => {
    const r = await jarvixQuery(...run('--max-width', '12', "SELECT 'two\nlines' AS t, repeat('x', 50) AS long"));
    expect(r.stdout.split('\n')).toEqual(['t         | long', '----------+-------------', 'two↵lines | xxxxxxxxxxx…', '(1 row)', '']);
  });

  it('csv on stdout is what DuckDB writes with -o: header, quoting, NULL, timestamps', async () => {
    const sql = "SELECT url, fetch_time, fetch_status, title, price, has_price, warc_record_offset, '' AS empty, NULL::VARCHAR AS missing FROM pages ORDER BY url";
    const out = join(tmp.dir, 'pages.csv');
    const streamed = await jarvixQuery(...run('--format', 'csv', sql));
    const copied = await jarvixQuery(...run('--format', 'csv', '-o', out, sql));
    expect([streamed.code, copied.code]).toEqual([0, 0]);
    expect(copied.stdout).toBe('');
    expect(copied.stderr).toMatch(new RegExp(`wrote ${rows.pages.length} rows to .*pages\\.csv`));
    expect(streamed.stdout).toBe(await readFile(out, 'utf8'));
    expect(streamed.stdout.split('\n')[0]).toBe('url,fetch_time,fetch_status,title,price,has_price,warc_record_offset,empty,missing');
    expect(streamed.stdout).toContain('"a ""quoted"" word 2"');
    expect(streamed.stdout).toContain('"two\nlines 3"');
    // An empty string is "", NULL is nothing:
    expect(streamed.stdout).toContain('https://shop0.example.co.uk/p/0?q=0,2024-01-02 03:04:05.678,404,plain 0,0.25,true,5000000000,"",\n');
    expect(streamed.stdout).toContain('https://shop0.example.co.uk/p/18,2024-01-02 03:04:05.696,,,,,,"",\n');
    expect(await readdir(tmp.dir)).not.toContain(expect.stringMatching(/\.tmp$/));
  });

  it('json: one object per line, TIMESTAMP as ISO UTC, numbers as numbers', async () => {
    const r = await jarvixQuery(...run('--format', 'json', 'SELECT url, fetch_time, fetch_status, warc_record_offset, has_price, price, 2::BIGINT ** 62 AS big, 9223372036854775807 AS huge FROM pages ORDER BY url'));
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(rows.pages.length);
    const first = lines.find((l) => l.url === rows.pages[0]!.url)!;
    expect(first).toEqual({
      url: rows.pages[0]!.url,
      fetch_time: '2024-01-02T03:04:05.678Z',
      fetch_status: 404,
      warc_record_offset: 5_000_000_000,
      has_price: true,
      price: 0.25,
      big: 4611686018427387904,
      huge: '9223372036854775807',
    });
  });

  it('parquet with -o: a file other readers open, with the same rows and types', async () => {
    const out = join(tmp.dir, 'top.parquet');
    const r = await jarvixQuery(...run('--format', 'parquet', '-o', out, 'SELECT url, fetch_time, score, has_price, depth FROM pages WHERE score IS NOT NULL ORDER BY score DESC, url'));
    expect(r.code).toBe(0);
    const file = await asyncBufferFromFile(out);
    const metadata = await parquetMetadataAsync(file);
    const back = await parquetReadObjects({ file, metadata, compressors: readCompressors });
    const want = rows.pages.filter((p) => p.score !== null).sort((a, b) => b.score! - a.score! || (a.url < b.url ? -1 : 1));
    expect(back.map((x) => x.url)).toEqual(want.map((p) => p.url));
    expect(back[0]).toEqual({ url: want[0]!.url, fetch_time: new Date(want[0]!.fetch_time!), score: want[0]!.score, has_price: want[0]!.has_price, depth: want[0]!.depth });
  });

  it('json and table to a file with -o', async () => {
    const out = join(tmp.dir, 'errors.jsonl');
    const r = await jarvixQuery(...run('--format', 'json', '-o', out, 'SELECT error_code, count(*) AS n FROM errors GROUP BY 1 ORDER BY 1'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { error_code: 'JVX_ERR_EXTRACT_FAILED', n: rows.errors.filter((e) => e.error_code === 'JVX_ERR_EXTRACT_FAILED').length },
      { error_code: 'JVX_ERR_FETCH_TIMEOUT', n: rows.errors.filter((e) => e.error_code === 'JVX_ERR_FETCH_TIMEOUT').length },
    ]);
  });

  it('--format parquet without -o: usage error (exit 2), nothing on stdout', async () => {
    const r = await jarvixQuery(...run('--format', 'parquet', 'SELECT 1'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('jarvix query: --format parquet writes a file: give one with -o FILE [JVX_ERR_USAGE_OUTPUT_REQUIRED]\n');
  });

  it('an empty query: usage error (exit 2) that says so, not "Error in native callback"', async () => {
    for (const sql of ['', '  ;  ', '/* only a comment */']) {
      const r = await jarvixQuery(...run(sql));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the query is empty.*\[JVX_ERR_QUERY_EMPTY\]/);
      expect(r.stderr).not.toContain('native callback');
    }
  });

  it("bad SQL: exit 1 with DuckDB's message and the code on stderr", async () => {
    const r = await jarvixQuery(...run('SELECT nope FROM pages'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Binder Error: Referenced column "nope" not found/);
    expect(r.stderr).toContain('[JVX_ERR_QUERY_SQL]');
    // and no output file is left behind when the query fails
    const out = join(tmp.dir, 'bad.parquet');
    const f = await jarvixQuery(...run('--format', 'parquet', '-o', out, 'SELEC 1'));
    expect(f.code).toBe(1);
    expect(await readdir(tmp.dir)).not.toContain('bad.parquet');
  });

  it('stops quietly when the reader of stdout goes away (EPIPE)', async () => {
    let written = 0;
    // Takes the first chunk, then fails the next one later, while nothing waits for 'drain'.
    const closing = new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, done) {
        written += chunk.length;
        if (written === chunk.length) done();
        else setImmediate(() => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
      },
    });
    const stderr = new Capture();
    let code: number | undefined;
    const program = new Command('jarvix').exitOverride();
    register(program, { stdout: closing, stderr, setExitCode: (c) => (code = c) });
    await program.parseAsync(['query', ...run('--format', 'csv', 'SELECT range FROM range(1000000)')], { from: 'user' });
    expect({ code, stderr: stderr.text }).toEqual({ code: 0, stderr: '' });
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(200_000); // it stopped, rather than formatting the million rows
  });

  it('a missing run: exit 1 naming it', async () => {
    const r = await jarvixQuery('--data', data, '--run', 'ghost', 'SELECT 1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run ghost not found: no folder .*runs\/ghost \[JVX_ERR_QUERY_RUN_NOT_FOUND\]/);
  });
});
