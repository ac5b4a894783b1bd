import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WarcReader, base32, cdxjEntriesOf, readRecordAt } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { runWarcCli } from './run-warc-cli.js';

interface Built {
  bytes: Buffer;
  /** Start of each record (of its gzip member when gzipped per record). */
  offsets: number[];
  lengths: number[];
}

const PAGES = [
  { url: 'http://arc.test/a', ip: '10.0.0.1', date: '20240102030405', mime: 'text/html', head: 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n', body: '<html>page a</html>' },
  { url: 'http://arc.test/missing?x=1', ip: '10.0.0.2', date: '20240102030406', mime: 'text/plain', head: 'HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\n', body: 'not here\n\nreally not' },
  { url: 'https://www.arc.test/img.png', ip: '10.0.0.3', date: '20240102030407', mime: 'image/png', head: 'HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n', body: '\x89PNG\r\n\x1a\nbinary' },
];

/** An ARC file built by hand: `header line\n block \n` per record, v1 (5 fields) or v2 (10 fields). */
function buildArc(version: 1 | 2, gzip: 'none' | 'per-record' | 'whole'): Built {
  const name = `test-v${version}.arc`;
  const versionBlock =
    version === 1
      ? '1 0 jarvix-test\nURL IP-address Archive-date Content-type Archive-length\n'
      : '2 0 jarvix-test\nURL IP-address Archive-date Content-type Result-code Checksum Location Offset Filename Archive-length\n';
  const line = (url: string, ip: string, date: string, mime: string, status: string, len: number): string =>
    version === 1 ? `${url} ${ip} ${date} ${mime} ${len}\n` : `${url} ${ip} ${date} ${mime} ${status} - - 0 ${name} ${len}\n`;
  const records = [Buffer.from(`${line(`filedesc://${name}`, '0.0.0.0', '20240101000000', 'text/plain', '200', versionBlock.length)}${versionBlock}\n`, 'latin1')];
  for (const p of PAGES) {
    const block = Buffer.from(p.head + p.body, 'latin1');
    records.push(Buffer.concat([Buffer.from(line(p.url, p.ip, p.date, p.mime, p.head.slice(9, 12), block.length), 'latin1'), block, Buffer.from('\n')]));
  }
  const parts = gzip === 'per-record' ? records.map((r) => gzipSync(r)) : gzip === 'whole' ? [gzipSync(Buffer.concat(records))] : records;
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 0;
  for (const p of parts) {
    offsets.push(at);
    lengths.push(p.length);
    at += p.length;
  }
  return { bytes: Buffer.concat(parts), offsets, lengths };
}

describe('legacy ARC files', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  const write = async (name: string, bytes: Buffer): Promise<string> => {
    const p = join(tmp.dir, name);
    await writeFile(p, bytes);
    return p;
  };
  beforeAll(async () => {
    tmp = await tempDir();
  });
  afterAll(() => tmp.cleanup());

  for (const version of [1, 2] as const) {
    for (const gzip of ['none', 'per-record'] as const) {
      it(`reads ARC v${version} (${gzip === 'none' ? '.arc' : '.arc.gz'}): records, fields, offsets, random access`, async () => {
        const built = buildArc(version, gzip);
        const path = await write(`v${version}${gzip === 'none' ? '.arc' : '.arc.gz'}`, built.bytes);
        const reader = new WarcReader(path);
        const seen: { type: string; version: string; uri: string | undefined; date: string | undefined; offset: number; length: number; block: string; ip: string | undefined }[] = [];
        for await (const r of reader.records()) {
          const block = (await r.readBlock()).toString('latin1');
          await r.done();
          seen.push({ type: r.type, version: r.version, uri: r.targetUri, date: r.date, offset: r.offset, length: r.length, block, ip: r.headers.get('WARC-IP-Address') });
        }
        expect(reader.anomalies.total).toBe(0);
        expect(seen.map((s) => s.type)).toEqual(['warcinfo', 'response', 'response', 'response']);
        expect(seen.every((s) => s.version === `ARC/${version}`)).toBe(true);
        expect(seen[0]!.block).toMatch(new RegExp(`^${version} 0 jarvix-test\n`));
        expect(seen.slice(1).map((s) => s.uri)).toEqual(PAGES.map((p) => p.url));
        expect(seen.slice(1).map((s) => s.ip)).toEqual(PAGES.map((p) => p.ip));
        expect(seen[1]!.date).toBe('2024-01-02T03:04:05Z');
        expect(seen.slice(1).map((s) => s.block)).toEqual(PAGES.map((p) => p.head + p.body));
        expect(seen.map((s) => s.offset)).toEqual(built.offsets);
        expect(seen.map((s) => s.length)).toEqual(built.lengths);
        for (let i = 1; i < seen.length; i++) {
          const rec = await readRecordAt(path, built.offsets[i]!);
          expect(rec.targetUri).toBe(PAGES[i - 1]!.url);
          expect(rec.block.toString('latin1')).toBe(PAGES[i - 1]!.head + PAGES[i - 1]!.body);
        }
      });
    }
  }

  it('reads a whole-file gzip ARC (records share one member)', async () => {
    const path = await write('whole.arc.gz', buildArc(1, 'whole').bytes);
    const reader = new WarcReader(path);
    const uris: (string | undefined)[] = [];
    for await (const r of reader.records()) {
      await r.done();
      uris.push(r.targetUri);
    }
    expect(uris).toEqual([undefined, ...PAGES.map((p) => p.url)]);
    expect(reader.anomalies.counts['content-length-too-short']).toBeUndefined();
  });

  it('indexes ARC records as CDXJ (status, mime, payload digest, offsets)', async () => {
    const built = buildArc(2, 'per-record');
    const path = await write('index.arc.gz', built.bytes);
    const entries = [];
    for await (const e of cdxjEntriesOf(path)) entries.push(e);
    expect(entries.map((e) => [e.url, e.status, e.mime, e.offset, e.length])).toEqual(
      PAGES.map((p, i) => [p.url, p.head.slice(9, 12), p.mime, built.offsets[i + 1], built.lengths[i + 1]]),
    );
    expect(entries[0]!.digest).toBe(base32(createHash('sha1').update(Buffer.from(PAGES[0]!.body, 'latin1')).digest()));
    expect(entries[0]!.timestamp).toBe('20240102030405');
  });

  it('`warc cat` and `warc index` work on .arc files', async () => {
    const built = buildArc(1, 'none');
    const path = await write('cli.arc', built.bytes);
    const cat = await runWarcCli(['cat', path]);
    expect(cat.code).toBe(0);
    const lines = cat.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; uri: string | null; offset: number });
    expect(lines.map((l) => [l.type, l.uri, l.offset])).toEqual([['warcinfo', null, 0], ...PAGES.map((p, i) => ['response', p.url, built.offsets[i + 1]])]);
    const index = await runWarcCli(['index', path]);
    expect(index.code).toBe(0);
    const keys = index.stdout.trim().split('\n').map((l) => l.split(' ')[0]);
    expect(keys).toEqual(['test,arc)/a', 'test,arc)/img.png', 'test,arc)/missing?x=1']);
  });

  it('a text line that merely looks like words is not taken for an ARC record', async () => {
    const path = await write('prose.arc', Buffer.from('see the 20240101000000 report 5\nnot an archive\n'));
    const reader = new WarcReader(path);
    await expect((async () => {
      for await (const r of reader.records()) await r.done();
    })()).rejects.toMatchObject({ code: 'JVX_ERR_WARC_FORMAT' });
  });
});
