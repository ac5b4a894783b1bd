import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RunIndex, WarcWriter, readRecordAt, surt } from '../../src/warc/index.js';
import { readLines, sortLines } from '../../src/warc/line-files.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from './make-exchange.js';

describe('CDXJ index and lookup', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('builds SURT keys the way pywb does', () => {
    expect(surt('http://www.Example.com/Path/?b=2&a=1#frag')).toBe('com,example)/path?a=1&b=2');
    expect(surt('https://sub.example.co.uk:8443/')).toBe('uk,co,example,sub:8443)/');
    expect(surt('http://127.0.0.1:8080/x')).toBe('127.0.0.1:8080)/x');
    expect(surt('http://example.com')).toBe('com,example)/');
  });

  it('sorts with bounded memory (external merge of runs)', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `k${(i * 7919) % 5000} line ${i}`);
    const dest = join(tmp.dir, 'sorted');
    await sortLines((async function* () { yield* lines; })(), dest, 2_000);
    const out: string[] = [];
    for await (const l of readLines(dest)) out.push(l);
    expect(out).toEqual([...lines].sort());
    expect(await readdir(tmp.dir)).toEqual(['sorted']);
  });

  it('finds the capture nearest a timestamp across every WARC of a run by binary search', async () => {
    const dirs = { dir: join(tmp.dir, 'warc'), indexDir: join(tmp.dir, 'index'), run: 'l' };
    const day = (d: number): number => Date.UTC(2024, 0, d, 12, 0, 0);
    for (const worker of ['w1', 'w2']) {
      const w = await WarcWriter.open({ ...dirs, worker, maxFileBytes: 4_000 });
      for (let i = 0; i < 300; i++) {
        const d = worker === 'w1' ? 1 + (i % 10) : 11 + (i % 10);
        await w.writeExchange(makeExchange({ url: `http://l${i % 30}.test/page/${i % 3}`, body: `${worker} ${i} day ${d}`, startedAt: day(d) }), { fetchDurationMs: 1, truncated: null });
      }
      await w.close();
    }
    const index = await RunIndex.open(dirs.indexDir);
    try {
      expect(index.fileCount).toBeGreaterThan(4);
      // http://l5.test/page/2 was fetched by i = 5, 35, 65, ... (i % 30 = 5, i % 3 = 2 → i ≡ 5 mod 30).
      const all = index.captures('http://l5.test/page/2');
      expect(all).toHaveLength(20);
      expect(all.map((e) => e.timestamp)).toEqual([...all.map((e) => e.timestamp)].sort());
      const near = index.lookup('http://l5.test/page/2', '20240116');
      expect(near?.timestamp).toBe('20240116120000');
      const rec = await readRecordAt(join(dirs.dir, near!.filename), near!.offset);
      expect(rec.block.toString()).toContain('w2 ');
      expect(rec.block.toString()).toContain('day 16');
      expect(index.lookup('http://l5.test/page/2')?.timestamp).toBe('20240116120000');
      expect(index.lookup('http://L5.test/page/2/')?.url).toBe('http://l5.test/page/2');
      expect(index.lookup('http://nowhere.test/')).toBeUndefined();
      // Every line of every index is found by its own URL.
      for (const name of (await readdir(dirs.indexDir)).slice(0, 3)) {
        for (const line of (await readFile(join(dirs.indexDir, name), 'utf8')).trim().split('\n')) {
          const url = (JSON.parse(line.slice(line.indexOf('{'))) as { url: string }).url;
          expect(index.captures(url).some((e) => line.includes(`"offset":"${e.offset}"`) && e.filename === name.replace(/\.cdxj$/, ''))).toBe(true);
        }
      }
    } finally {
      index.close();
    }
  });
});
