import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatasetWriter, recoverShards, TABLE_NAMES } from '../../src/dataset/index.js';
import { tempDir } from '../helpers/tmp.js';
import { finalFiles, readParquet, readTable, tempFiles } from './read-back.js';
import { linkRow } from './rows-fixture.js';

describe('recoverShards', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await tmp.cleanup();
  });

  async function stageOnly(worker: string, seq: number, from: number): Promise<string[]> {
    const w = await DatasetWriter.open({ runDir: tmp.dir, worker });
    w.append('links', [linkRow(from), linkRow(from + 1)]);
    const { shards } = await w.stage(seq);
    await w.close();
    return shards;
  }

  it('publishes a committed shard left under its temp name (crash between commit and rename)', async () => {
    const shards = await stageOnly('w1', 1, 0);
    const r = await recoverShards(tmp.dir, 'w1', shards);
    expect(r).toEqual({ published: 1, removed: 0, missing: [] });
    expect(await tempFiles(tmp.dir, 'links')).toEqual([]);
    expect((await readTable(tmp.dir, 'links')).map((x) => x.src_url)).toEqual(['https://a.test/0', 'https://a.test/1']);
    // A second run of recovery changes nothing.
    expect(await recoverShards(tmp.dir, 'w1', shards)).toEqual({ published: 0, removed: 0, missing: [] });
  });

  it('deletes a staged shard that was never committed (crash before commit)', async () => {
    const committed = await stageOnly('w1', 1, 0);
    await recoverShards(tmp.dir, 'w1', committed);
    await stageOnly('w1', 2, 10); // staged, crash, never committed
    const changes: string[] = [];
    const r = await recoverShards(tmp.dir, 'w1', committed, (c) => changes.push(c));
    expect(r).toEqual({ published: 0, removed: 1, missing: [] });
    // The removal is told by name, so collect can print it (nothing is deleted silently).
    expect(changes).toEqual([`removed ${join(tmp.dir, 'links', '.links-w1-000002.parquet.tmp')} (staged, never committed)`]);
    expect(await tempFiles(tmp.dir, 'links')).toEqual([]);
    expect(await finalFiles(tmp.dir, 'links')).toEqual(['links-w1-000001.parquet']);
  });

  it("deletes this worker's uncommitted final shards and never touches another worker's", async () => {
    const mine = await stageOnly('a', 1, 0);
    const theirs = await stageOnly('a-000001', 2, 10); // a name that starts like worker a's
    const other = await stageOnly('b', 1, 20);
    for (const [worker, s] of [['a', mine], ['a-000001', theirs], ['b', other]] as const) await recoverShards(tmp.dir, worker, s);
    await stageOnly('a', 2, 30);
    await recoverShards(tmp.dir, 'a', [...mine, 'links/links-a-000002.parquet']); // published as if committed
    const r = await recoverShards(tmp.dir, 'a', mine); // ...but the state says only seq 1 was committed
    expect(r).toEqual({ published: 0, removed: 1, missing: [] });
    expect(await finalFiles(tmp.dir, 'links')).toEqual(['links-a-000001-000002.parquet', 'links-a-000001.parquet', 'links-b-000001.parquet']);
  });

  it('reports committed shards that are gone', async () => {
    const r = await recoverShards(tmp.dir, 'w1', ['pages/pages-w1-000003.parquet']);
    expect(r.missing).toEqual(['pages/pages-w1-000003.parquet']);
    await expect(recoverShards(tmp.dir, 'w1', ['pages/../x'])).rejects.toMatchObject({ code: 'JVX_ERR_DATASET_SHARD_NAME' });
  });

  it('after kill -9 at random moments, leaves only whole shards holding every committed row exactly once', async () => {
    const log = join(tmp.dir, 'committed.jsonl');
    await writeFile(log, '');
    const fixture = join(import.meta.dirname, 'fixtures', 'stage-loop.ts');
    const rowsPerCheckpoint = 1500;
    const committedLog = async (): Promise<{ seq: number; shards: string[] }[]> =>
      (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { seq: number; shards: string[] });
    for (let round = 0; round < 4; round++) {
      const entries = await committedLog();
      await recoverShards(tmp.dir, 'w1', entries.flatMap((e) => e.shards)); // as collect does on resume
      const lastSeq = entries.at(-1)?.seq ?? 0;
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, tmp.dir, 'w1', String(lastSeq), log, String(rowsPerCheckpoint)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
      });
      // The first kill lands after a commit (a loaded machine may take longer than the random
      // window to commit anything, and then nothing would be checked); later kills land anywhere.
      if (round === 0) {
        for (let waited = 0; (await committedLog()).length === 0 && waited < 60_000; waited += 50) await sleep(50);
      }
      await sleep(150 + Math.floor(Math.random() * 600));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const entries = await committedLog();
    const r = await recoverShards(tmp.dir, 'w1', entries.flatMap((e) => e.shards));
    expect(r.missing).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
    // Seqs are committed in order, each once (a resumed child continues after the last commit).
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, k) => k + 1));

    for (const t of TABLE_NAMES) expect(await tempFiles(tmp.dir, t)).toEqual([]);
    const want = entries.flatMap((e) => Array.from({ length: rowsPerCheckpoint }, (_, i) => `https://x.test/${e.seq}/${i}`));
    for (const t of ['pages', 'chunks']) {
      const files = await finalFiles(tmp.dir, t);
      expect(files).toEqual(entries.map((e) => `${t}-w1-${String(e.seq).padStart(6, '0')}.parquet`));
      const urls: string[] = [];
      for (const f of files) {
        const { rows, metadata } = await readParquet(join(tmp.dir, t, f)); // throws on a torn file
        expect(rows.length).toBe(Number(metadata.num_rows));
        urls.push(...rows.map((x) => x.url as string));
      }
      expect(urls).toEqual(want);
    }
  }, 180_000);
});
