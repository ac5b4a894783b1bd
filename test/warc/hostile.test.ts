import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WarcReader, WarcWriter, cdxjEntriesOf, readRecordAt, verifyWarc } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from './make-exchange.js';

interface Read {
  types: string[];
  uris: (string | undefined)[];
  counts: Record<string, number>;
  error: string | undefined;
}

async function readAll(path: string): Promise<Read> {
  const reader = new WarcReader(path);
  const out: Read = { types: [], uris: [], counts: {}, error: undefined };
  try {
    for await (const r of reader.records()) {
      await r.readBlock();
      await r.done();
      if (r.complete) {
        out.types.push(r.type);
        out.uris.push(r.targetUri);
      }
    }
  } catch (err) {
    out.error = (err as { code?: string }).code ?? 'UNCODED';
  }
  out.counts = reader.anomalies.counts as Record<string, number>;
  return out;
}

/** A plain WARC record. */
function plainRecord(type: string, uri: string, block: string, contentLength = Buffer.byteLength(block)): string {
  return `WARC/1.1\r\nWARC-Type: ${type}\r\nWARC-Record-ID: <urn:uuid:${crypto.randomUUID()}>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: ${uri}\r\nContent-Length: ${contentLength}\r\n\r\n${block}\r\n\r\n`;
}

describe('reader on damaged and hostile input', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let gz: Buffer;
  let members: { offset: number; length: number; type: string }[];
  beforeAll(async () => {
    tmp = await tempDir();
    const w = await WarcWriter.open({ dir: join(tmp.dir, 'warc'), indexDir: join(tmp.dir, 'index'), run: 'h', worker: 'w' });
    for (let i = 0; i < 4; i++) await w.writeExchange(makeExchange({ url: `http://h.test/${i}`, body: `body ${i} `.repeat(200) }), { fetchDurationMs: 1, truncated: null });
    await w.close();
    const [name] = await readdir(join(tmp.dir, 'warc'));
    gz = await readFile(join(tmp.dir, 'warc', name!));
    members = [];
    const reader = new WarcReader(join(tmp.dir, 'warc', name!));
    for await (const r of reader.records()) {
      await r.done();
      members.push({ offset: r.offset, length: r.length, type: r.type });
    }
  });
  afterAll(() => tmp.cleanup());

  const file = async (name: string, bytes: Buffer | string): Promise<string> => {
    const p = join(tmp.dir, name);
    await writeFile(p, bytes);
    return p;
  };

  it('a truncated gzip member: records before it survive, the cut is counted', async () => {
    const cutAt = members[5]!.offset + Math.floor(members[5]!.length / 2);
    const r = await readAll(await file('cut.warc.gz', gz.subarray(0, cutAt)));
    expect(r.error).toBeUndefined();
    expect(r.types).toEqual(['warcinfo', 'request', 'response', 'metadata', 'request']);
    expect(r.counts['gzip-truncated']).toBe(1);
  });

  it('garbage between gzip members is skipped and counted', async () => {
    const at = members[3]!.offset;
    const bytes = Buffer.concat([gz.subarray(0, at), Buffer.from('\x00garbage\x1f\x8bnot gzip at all'.repeat(20)), gz.subarray(at)]);
    const r = await readAll(await file('garbage.warc.gz', bytes));
    expect(r.types).toHaveLength(members.length);
    expect(r.counts['gzip-garbage']).toBeGreaterThanOrEqual(1);
    expect(r.error).toBeUndefined();
  });

  it('a member whose damaged deflate data runs on over the next members does not take them with it', async () => {
    // The warcinfo member rebuilt as one stored deflate block whose length covers its own record
    // and every member after it, with a wrong trailer behind: inflating it yields those members'
    // compressed bytes as its data. Random damage to deflate data does this now and then (the
    // fuzz test found it); the members it runs over are whole and must still be read.
    const first = members[0]!;
    const rest = gz.subarray(first.offset + first.length);
    const stored = Buffer.concat([gunzipSync(gz.subarray(0, first.length)), rest]);
    const len = stored.length;
    expect(len).toBeLessThan(65_536);
    const header = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
    const block = Buffer.from([0x01, len & 0xff, len >> 8, ~len & 0xff, (~len >> 8) & 0xff]);
    const bytes = Buffer.concat([header, block, stored, Buffer.alloc(8)]);
    const p = await file('runs-on.warc.gz', bytes);
    const r = await readAll(p);
    expect(r.error).toBeUndefined();
    expect(r.types).toEqual(members.map((m) => m.type));
    expect(r.counts['gzip-crc']).toBe(1);
    const restAt = bytes.length - 8 - rest.length;
    const responses = members.filter((m) => m.type === 'response').map((m) => m.offset - first.length + restAt);
    for (const fullRead of [true, false]) {
      const offsets: number[] = [];
      for await (const e of cdxjEntriesOf(p, { fullRead })) offsets.push(e.offset);
      expect(offsets, fullRead ? 'full reader' : 'member skipping').toEqual(responses);
    }
    const v = await verifyWarc(p);
    expect(v.problems.map((x) => [x.offset, x.code])).toContainEqual([0, 'JVX_ERR_WARC_GZIP_CRC']);
  });

  it('a wrong Content-Length in a gzip member is bounded by the member', async () => {
    const target = members[2]!;
    const text = gunzipSync(gz.subarray(target.offset, target.offset + target.length)).toString('latin1');
    const declared = Number(/Content-Length: (\d+)/.exec(text)![1]);
    const tooLong = gzipSync(Buffer.from(text.replace(`Content-Length: ${declared}`, `Content-Length: ${declared + 500}`), 'latin1'));
    const tooShort = gzipSync(Buffer.from(text.replace(`Content-Length: ${declared}`, `Content-Length: ${declared - 100}`), 'latin1'));
    for (const [name, member, code] of [['long', tooLong, 'content-length-too-long'], ['short', tooShort, 'content-length-too-short']] as const) {
      const bytes = Buffer.concat([gz.subarray(0, target.offset), member, gz.subarray(target.offset + target.length)]);
      const p = await file(`cl-${name}.warc.gz`, bytes);
      const reader = new WarcReader(p);
      const types: string[] = [];
      for await (const r of reader.records()) types.push(r.type);
      expect(types).toHaveLength(members.length);
      expect(reader.anomalies.counts[code]).toBe(1);
      const v = await verifyWarc(p);
      expect(v.problems.map((x) => [x.offset, x.code])).toContainEqual([target.offset, `JVX_ERR_WARC_${code.toUpperCase().replace(/-/g, '_')}`]);
    }
  });

  it('a plain WARC with garbage, LF line endings, odd dates and a short Content-Length keeps going', async () => {
    const text =
      plainRecord('response', 'http://p.test/1', 'HTTP/1.1 200 OK\r\n\r\none') +
      'some garbage line\r\nmore garbage\r\n' +
      plainRecord('response', 'http://p.test/2', 'HTTP/1.1 200 OK\r\n\r\ntwo').replace(/\r\n/g, '\n').replace('2024-01-01T00:00:00Z', '20240101000000') +
      plainRecord('response', '<http://p.test/3 with space>', 'HTTP/1.1 200 OK\r\n\r\nthree and more', 25) +
      plainRecord('response', 'http://p.test/4', 'HTTP/1.1 200 OK\r\n\r\nfour');
    const r = await readAll(await file('plain.warc', text));
    expect(r.error).toBeUndefined();
    expect(r.uris).toEqual(['http://p.test/1', 'http://p.test/2', 'http://p.test/3%20with%20space', 'http://p.test/4']);
    expect(r.counts).toMatchObject({ 'garbage-skipped': 2, 'lf-line-endings': 1, 'odd-date': 1, 'uri-angle-brackets': 1, 'uri-spaces': 1, 'missing-crlf': 2 });
  });

  it('a record cut mid-body (killed writer) is reported, earlier records are whole', async () => {
    const plain = gunzipSync(gz);
    const cut = plain.subarray(0, plain.indexOf('body 2 body 2') + 50);
    const r = await readAll(await file('killed.warc', cut));
    expect(r.types).toEqual(['warcinfo', 'request', 'response', 'metadata', 'request', 'response', 'metadata', 'request']);
    expect(r.counts['truncated-block']).toBe(1);
    expect(r.error).toBeUndefined();
  });

  it('a file that is not a WARC fails with a coded error, never a hang or crash', async () => {
    const p = await file('not.warc', Buffer.from('<html>this is not an archive</html>\n'.repeat(1000)));
    expect((await readAll(p)).error).toBe('JVX_ERR_WARC_FORMAT');
    const bin = await file('bin.warc.gz', Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)));
    expect((await readAll(bin)).error).toBe('JVX_ERR_WARC_FORMAT');
    await expect(readRecordAt(p, 10)).rejects.toMatchObject({ code: 'JVX_ERR_WARC_FORMAT', offset: 10 });
    await expect(readRecordAt(join(tmp.dir, 'warc', (await readdir(join(tmp.dir, 'warc')))[0]!), members[2]!.offset + 1)).rejects.toMatchObject({ code: 'JVX_ERR_WARC_FORMAT' });
    const v = await verifyWarc(p);
    expect(v.problems.length).toBeGreaterThan(0);
    for (const x of v.problems) expect(x.code).toMatch(/^JVX_ERR_WARC_/);
  });

  it('fuzz: mutated files never hang or crash, every error is coded', async () => {
    const plain = gunzipSync(gz);
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      const base = i % 2 === 0 ? gz : plain;
      const bytes = Buffer.from(base);
      const kind = rand(4);
      let mutated: Buffer = bytes;
      if (kind === 0) for (let k = 0; k < 1 + rand(8); k++) bytes[rand(bytes.length)] = rand(256);
      else if (kind === 1) mutated = bytes.subarray(0, rand(bytes.length));
      else if (kind === 2) {
        const at = rand(bytes.length);
        mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: rand(300) }, () => rand(256))), bytes.subarray(at)]);
      } else {
        const at = rand(bytes.length);
        mutated = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + rand(500))]);
      }
      const p = await file(`fuzz.warc${i % 2 === 0 ? '.gz' : ''}`, mutated);
      const r = await readAll(p);
      if (r.error) expect(r.error).toMatch(/^JVX_ERR_WARC_/);
      const v = await verifyWarc(p);
      for (const x of v.problems) expect(x.code).toMatch(/^JVX_ERR_WARC_/);
    }
  });
});
