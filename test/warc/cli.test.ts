import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WarcWriter } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from './make-exchange.js';
import { runWarcCli } from './run-warc-cli.js';

const warc = runWarcCli;

describe('jarvix warc index|get|cat|verify', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let file: string;
  const html = '<html>' + 'archived page '.repeat(100) + '</html>';
  beforeAll(async () => {
    tmp = await tempDir();
    const run = join(tmp.dir, 'runs', 'r1');
    const w = await WarcWriter.open({ dir: join(run, 'warc'), indexDir: join(run, 'index'), run: 'r1', worker: 'w' });
    await w.writeExchange(makeExchange({ url: 'http://cli.test/a', body: gzipSync(html), headers: [['Content-Type', 'text/html'], ['Content-Encoding', 'gzip']], startedAt: Date.UTC(2024, 0, 1) }), { fetchDurationMs: 1, truncated: null });
    await w.writeExchange(makeExchange({ url: 'http://cli.test/a', body: 'newer', startedAt: Date.UTC(2024, 5, 1) }), { fetchDurationMs: 1, truncated: null });
    await w.writeExchange(makeExchange({ url: 'http://cli.test/b', body: gzipSync(html), headers: [['Content-Type', 'text/html'], ['Content-Encoding', 'gzip']] }), { fetchDurationMs: 1, truncated: null });
    await w.close();
    file = join(run, 'warc', (await readdir(join(run, 'warc')))[0]!);
  });
  afterAll(() => tmp.cleanup());

  it('cat lists records as JSON lines and prints the record at --offset', async () => {
    const r = await warc(['cat', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; uri: string | null; offset: number; length: number });
    expect(lines.map((l) => l.type)).toEqual(['warcinfo', 'request', 'response', 'metadata', 'request', 'response', 'metadata', 'request', 'revisit', 'metadata']);
    const res = lines.find((l) => l.type === 'response')!;
    const one = await warc(['cat', file, '--offset', String(res.offset)]);
    expect(one.stdout).toMatch(/^WARC\/1\.1\r\nWARC-Type: response\r\n/);
  });

  it('index prints sorted CDXJ; --run rebuilds the run index', async () => {
    const r = await warc(['index', file]);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^test,cli\)\/a 20240101000000 \{"url":"http:\/\/cli\.test\/a","mime":"text\/html","status":"200"/);
    const idx = join(tmp.dir, 'runs', 'r1', 'index', `${file.split('/').pop()}.cdxj`);
    const before = await readFile(idx, 'utf8');
    const rebuilt = await warc(['index', '--run', 'r1', '--data', tmp.dir]);
    expect(rebuilt.code).toBe(0);
    expect(await readFile(idx, 'utf8')).toBe(before);
    expect(before.trim()).toBe(r.stdout.trim());
  });

  it('get prints the nearest record, or its decoded payload (following a revisit)', async () => {
    const latest = await warc(['get', '--run', 'r1', '--data', tmp.dir, 'http://cli.test/a']);
    expect(latest.stdout).toContain('newer');
    const old = await warc(['get', '--run', 'r1', '--data', tmp.dir, 'http://cli.test/a', '--at', '20240102', '--body']);
    expect(old.stdout).toBe(html);
    const revisit = await warc(['get', '--run', 'r1', '--data', tmp.dir, 'http://cli.test/b', '--body']);
    expect(revisit.stdout).toBe(html);
    const missing = await warc(['get', '--run', 'r1', '--data', tmp.dir, 'http://cli.test/none']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[JVX_ERR_WARC_NOT_FOUND]');
  });

  it('verify exits 0 on a valid file and 1 with one line per problem', async () => {
    expect((await warc(['verify', file])).code).toBe(0);
    const bad = join(tmp.dir, 'bad.warc.gz');
    const bytes = await readFile(file);
    await appendFile(bad, bytes.subarray(0, bytes.length - 30));
    const r = await warc(['verify', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad\.warc\.gz:\d+: .* \[JVX_ERR_WARC_GZIP_TRUNCATED\]\n/);
  });
});
