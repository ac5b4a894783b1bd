import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WarcWriter, cdxjEntriesOf, formatCdxj, readRecordAt, repairWarcs, verifyWarc, type WarcLocation } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from './make-exchange.js';

const meta = { fetchDurationMs: 3, truncated: null } as const;

describe('crash safety with repairWarcs', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('after a crash, keeps exactly the committed records, drops later files, and rebuilds matching CDXJ', async () => {
    const live = { dir: join(tmp.dir, 'live', 'warc'), indexDir: join(tmp.dir, 'live', 'index') };
    const w = await WarcWriter.open({ ...live, run: 'c', worker: 'w1', maxFileBytes: 8_000 });
    const committedLocs: WarcLocation[] = [];
    for (let i = 0; i < 30; i++) committedLocs.push(await w.writeExchange(makeExchange({ url: `http://c.test/${i}`, body: `committed ${i} `.repeat(40) }), meta));
    const committed = await w.sync();
    // More writes after the checkpoint, some in a new file; one still in flight when we "crash".
    for (let i = 0; i < 25; i++) await w.writeExchange(makeExchange({ url: `http://c.test/late${i}`, body: `late ${i} `.repeat(40) }), meta);
    void w.writeExchange(makeExchange({ url: 'http://c.test/in-flight', body: Buffer.alloc(2_000_000, 7) }), meta);
    await new Promise((r) => setTimeout(r, 5));
    // The crash: copy the folders as they are, without close().
    const run = join(tmp.dir, 'crashed');
    await cp(join(tmp.dir, 'live'), run, { recursive: true });
    const warcDir = join(run, 'warc');
    const indexDir = join(run, 'index');
    const before = (await readdir(warcDir)).length;
    expect(before).toBeGreaterThan(committed.length);

    const changes: string[] = [];
    const result = await repairWarcs(warcDir, indexDir, 'w1', committed, (c) => changes.push(c));
    expect(result.removedFiles).toBe(before - committed.length);
    expect(result.truncatedFiles).toBeGreaterThanOrEqual(1);
    // Every file removed or cut is told to the caller, by name (collect prints each line).
    expect(changes.filter((c) => c.startsWith('removed '))).toHaveLength(result.removedFiles);
    expect(changes.filter((c) => c.startsWith('cut '))).toHaveLength(result.truncatedFiles);
    for (const c of changes.filter((l) => l.startsWith('cut '))) expect(c).toMatch(/^cut \/.+\.warc\.gz from \d+ to \d+ bytes/);

    const files = (await readdir(warcDir)).sort();
    expect(files).toEqual(committed.map((c) => c.file).sort());
    for (const c of committed) {
      const path = join(warcDir, c.file);
      expect((await stat(path)).size).toBe(c.length);
      expect((await verifyWarc(path)).problems).toEqual([]);
      // The CDXJ matches what the file now holds.
      const expected: string[] = [];
      for await (const e of cdxjEntriesOf(path)) expected.push(formatCdxj(e));
      const actual = (await readFile(join(indexDir, `${c.file}.cdxj`), 'utf8')).trim().split('\n').filter(Boolean);
      expect(actual).toEqual(expected.sort());
    }
    const indexes = (await readdir(indexDir)).sort();
    expect(indexes).toEqual(committed.map((c) => `${c.file}.cdxj`).sort());
    for (const loc of committedLocs) {
      const rec = await readRecordAt(join(run, loc.filename), loc.offset);
      expect(rec.type).toBe('response');
      expect(rec.complete).toBe(true);
    }

    // Resuming writes a new file after the repaired ones and keeps deduplicating against them.
    const w2 = await WarcWriter.open({ dir: warcDir, indexDir, run: 'c', worker: 'w1' });
    const again = await w2.writeExchange(makeExchange({ url: 'http://c.test/again', body: `committed 3 `.repeat(40) }), meta);
    const synced = await w2.sync();
    await w2.close();
    expect(again.revisit).toBe(true);
    expect(synced.slice(0, committed.length)).toEqual(committed);
    expect(synced).toHaveLength(committed.length + 1);
    await w.close();
  });

  it('with nothing committed, removes all of this worker’s files and leaves other workers alone', async () => {
    const dirs = { dir: join(tmp.dir, 'warc'), indexDir: join(tmp.dir, 'index'), run: 'c' };
    const mine = await WarcWriter.open({ ...dirs, worker: 'w1' });
    const other = await WarcWriter.open({ ...dirs, worker: 'w2' });
    await mine.writeExchange(makeExchange({ url: 'http://c.test/1' }), meta);
    await other.writeExchange(makeExchange({ url: 'http://c.test/2' }), meta);
    await mine.close();
    await other.close();
    expect(await repairWarcs(dirs.dir, dirs.indexDir, 'w1', [])).toEqual({ truncatedFiles: 0, removedFiles: 1 });
    const left = await readdir(dirs.dir);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/-w2-00000\.warc\.gz$/);
    expect(await readdir(dirs.indexDir)).toEqual([`${left[0]}.cdxj`]);
  });
});
