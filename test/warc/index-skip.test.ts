import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WarcReader, WarcWriter, cdxjEntriesOf, formatCdxj, readRecordAt } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from './make-exchange.js';

async function lines(path: string, fullRead: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const e of cdxjEntriesOf(path, { fullRead })) out.push(formatCdxj(e));
  return out;
}

describe('indexing by member skipping agrees with reading every block', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let gz: string;
  beforeAll(async () => {
    tmp = await tempDir();
    const w = await WarcWriter.open({ dir: join(tmp.dir, 'warc'), indexDir: join(tmp.dir, 'index'), run: 's', worker: 'w' });
    // Incompressible bodies larger than the search window (1 MiB) and the probes, between small ones.
    const bodies = [Buffer.from('small'), randomBytes(3 * 1024 * 1024), Buffer.from('x'.repeat(100_000)), randomBytes(70_000), Buffer.alloc(0), Buffer.from('last')];
    for (const [i, body] of bodies.entries()) await w.writeExchange(makeExchange({ url: `http://skip.test/${i}`, body }), { fetchDurationMs: 1, truncated: null });
    await w.close();
    const [name] = await readdir(join(tmp.dir, 'warc'));
    gz = join(tmp.dir, 'warc', name!);
  });
  afterAll(() => tmp.cleanup());

  it('same CDXJ lines on big, incompressible and empty bodies; offsets read back', async () => {
    const fast = await lines(gz, false);
    expect(fast).toEqual(await lines(gz, true));
    expect(fast).toHaveLength(6);
    for await (const e of cdxjEntriesOf(gz)) {
      const rec = await readRecordAt(gz, e.offset, { maxBlockBytes: 16 });
      expect(rec.targetUri).toBe(e.url);
      expect(rec.length).toBe(e.length);
    }
  });

  it('regression: a valid gzip member over 1 MiB is not reported corrupt (AbortError after its end)', async () => {
    const reader = new WarcReader(gz);
    const lengths: number[] = [];
    for await (const r of reader.records()) {
      await r.done();
      if (r.type === 'response') lengths.push(r.length);
    }
    expect(reader.anomalies.counts).toEqual({});
    expect(lengths[1]).toBeGreaterThan(3 * 1024 * 1024);
  });

  it('hands over to the full reader where a member does not fit (whole-file gzip, no payload digest)', async () => {
    const plain = gunzipSync(await readFile(gz));
    const whole = join(tmp.dir, 'whole.warc.gz');
    await writeFile(whole, gzipSync(plain));
    const a = await lines(whole, false);
    expect(a).toEqual(await lines(whole, true));
    expect(a).toHaveLength(6);
    // Without WARC-Payload-Digest the payload must be hashed: the same digest either way.
    const noDigest = join(tmp.dir, 'nodigest.warc');
    await writeFile(noDigest, plain.toString('latin1').replace(/WARC-Payload-Digest: [^\r]*\r\n/g, 'X-Removed: 1\r\n'), 'latin1');
    const members = join(tmp.dir, 'nodigest.warc.gz');
    await writeFile(members, gzipSync(await readFile(noDigest)));
    const b = await lines(members, false);
    expect(b.map((l) => JSON.parse(l.slice(l.indexOf('{'))).digest)).toEqual(a.map((l) => JSON.parse(l.slice(l.indexOf('{'))).digest));
  });
});
