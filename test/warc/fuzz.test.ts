import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WarcReader, WarcWriter, cdxjEntriesOf, formatCdxj, readRecordAt, verifyWarc } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from './make-exchange.js';

const CASES = 2000;

function arcFile(): Buffer {
  const vb = '1 0 fuzz\nURL IP-address Archive-date Content-type Archive-length\n';
  const block = 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>arc</p>';
  return Buffer.from(`filedesc://f.arc 0.0.0.0 20240101000000 text/plain ${vb.length}\n${vb}\nhttp://f.test/ 10.0.0.1 20240101000001 text/html ${block.length}\n${block}\n`, 'latin1');
}

/** Small inputs keep each case to about a millisecond, so thousands fit in the test run. */
async function bases(dir: string): Promise<{ name: string; bytes: Buffer }[]> {
  const w = await WarcWriter.open({ dir: join(dir, 'warc'), indexDir: join(dir, 'index'), run: 'f', worker: 'w' });
  await w.writeExchange(makeExchange({ url: 'http://f.test/a b', body: 'fuzz body '.repeat(20) }), { fetchDurationMs: 1, truncated: null });
  await w.writeExchange(makeExchange({ url: 'http://f.test/chunked', body: 'x'.repeat(50), headers: [['Transfer-Encoding', 'chunked']] }), { fetchDurationMs: 1, truncated: null });
  await w.close();
  const [name] = await readdir(join(dir, 'warc'));
  const gz = await readFile(join(dir, 'warc', name!));
  const plain = gunzipSync(gz);
  const arc = arcFile();
  return [
    { name: 'member.warc.gz', bytes: gz },
    { name: 'plain.warc', bytes: plain },
    { name: 'whole.warc.gz', bytes: gzipSync(plain) },
    { name: 'plain.arc', bytes: arc },
    { name: 'member.arc.gz', bytes: gzipSync(arc) },
  ];
}

/** CDXJ lines by record offset; a coded error ends the listing (what came before it counts). */
async function indexLines(path: string, fullRead: boolean): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  try {
    for await (const e of cdxjEntriesOf(path, { fullRead })) out.set(e.offset, formatCdxj(e));
  } catch (err) {
    expect((err as { code?: string }).code).toMatch(/^JVX_ERR_WARC_/);
  }
  return out;
}

describe('fuzz: thousands of mutated WARC and ARC files', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let inputs: { name: string; bytes: Buffer }[];
  beforeAll(async () => {
    tmp = await tempDir();
    inputs = await bases(tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  it(`${CASES} mutated files: no hang, no crash, every error and problem coded`, async () => {
    let seed = 987654;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return n <= 0 ? 0 : seed % n;
    };
    const stats = { errors: 0, anomalies: 0, records: 0 };
    for (let i = 0; i < CASES; i++) {
      const base = inputs[i % inputs.length]!;
      const src = base.bytes;
      let m: Buffer = Buffer.from(src);
      switch (rand(7)) {
        case 0:
          for (let k = 0; k < 1 + rand(6); k++) m[rand(m.length)] = rand(256);
          break;
        case 1:
          m = m.subarray(0, rand(m.length));
          break;
        case 2: {
          const at = rand(m.length);
          m = Buffer.concat([m.subarray(0, at), Buffer.from(Array.from({ length: 1 + rand(200) }, () => rand(256))), m.subarray(at)]);
          break;
        }
        case 3: {
          const at = rand(m.length);
          m = Buffer.concat([m.subarray(0, at), m.subarray(at + 1 + rand(300))]);
          break;
        }
        case 4: {
          // A range repeated: duplicated records, members or header lines.
          const at = rand(m.length);
          m = Buffer.concat([m.subarray(0, at + rand(400)), m.subarray(at)]);
          break;
        }
        case 5: {
          // Lengths that lie (in the plain bytes, re-gzipped for the gzip inputs).
          const gz = base.name.endsWith('.gz');
          let text = (gz ? gunzipSync(src) : src).toString('latin1');
          text = text.replace(/(Content-Length: |text\/\w+ )(\d+)/g, (all, p: string) => (rand(3) === 0 ? `${p}${rand(100_000) - 50}` : all));
          m = gz ? gzipSync(Buffer.from(text, 'latin1')) : Buffer.from(text, 'latin1');
          break;
        }
        default: {
          const gz = base.name.endsWith('.gz');
          const text = (gz ? gunzipSync(src) : src).toString('latin1').replace(/\r\n/g, () => (rand(4) === 0 ? '\n' : '\r\n'));
          m = gz ? gzipSync(Buffer.from(text, 'latin1')) : Buffer.from(text, 'latin1');
        }
      }
      const path = join(tmp.dir, `case-${base.name}`);
      await writeFile(path, m);
      const reader = new WarcReader(path);
      try {
        for await (const r of reader.records()) {
          await r.readBlock(1024 * 1024);
          await r.done();
          stats.records++;
          expect(r.length).toBeGreaterThanOrEqual(0);
        }
      } catch (err) {
        stats.errors++;
        expect((err as { code?: string }).code).toMatch(/^JVX_ERR_WARC_/);
      }
      stats.anomalies += reader.anomalies.total;
      const v = await verifyWarc(path);
      for (const p of v.problems) expect(p.code).toMatch(/^JVX_ERR_WARC_/);
      // The skipping indexer (gzip only) agrees with the full reader, except on records verify flags.
      if (base.name.endsWith('.gz')) {
        const fast = await indexLines(path, false);
        const full = await indexLines(path, true);
        const flagged = new Set(v.problems.map((p) => p.offset));
        for (const [a, b] of [[fast, full], [full, fast]] as const) {
          for (const [offset, line] of a) if (b.get(offset) !== line) expect(flagged.has(offset), `${base.name} case ${i}: ${line}`).toBe(true);
        }
      }
      await readRecordAt(path, rand(m.length + 1)).then(
        (r) => expect(typeof r.type).toBe('string'),
        (err: unknown) => expect((err as { code?: string }).code).toMatch(/^JVX_ERR_WARC_/),
      );
    }
    // The mutations did bite: many cases were damaged, yet most still gave records.
    expect(stats.anomalies).toBeGreaterThan(CASES / 2);
    expect(stats.records).toBeGreaterThan(CASES);
  }, 180_000); // ~30 s on a quiet 2-core machine; a loaded one takes twice that
});
