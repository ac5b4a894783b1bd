import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BodyCollector } from '../../src/http/body.js';
import { WarcWriter, readRecordAt, readWarc, verifyWarc, parseCdxj } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from './make-exchange.js';
import { readWithWarcio } from './warcio-read.js';

const meta = { fetchDurationMs: 42, truncated: null } as const;

describe('WarcWriter', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let dirs: { dir: string; indexDir: string; run: string; worker: string };
  beforeEach(async () => {
    tmp = await tempDir();
    dirs = { dir: join(tmp.dir, 'warc'), indexDir: join(tmp.dir, 'index'), run: 'run1', worker: 'w1' };
  });
  afterEach(() => tmp.cleanup());

  async function warcFiles(): Promise<string[]> {
    return (await readdir(dirs.dir)).filter((n) => n.endsWith('.warc.gz')).sort().map((n) => join(dirs.dir, n));
  }

  it('writes warcinfo, then request/response/metadata linked by WARC-Concurrent-To, one gzip member each', async () => {
    const w = await WarcWriter.open({ ...dirs, warcinfo: { 'jarvix-config': '{"a":1}' } });
    const loc = await w.writeExchange(makeExchange({ url: 'http://example.test/a?x=1', body: '<p>hi</p>' }), { ...meta, redirectChain: ['http://example.test/', 'http://example.test/a?x=1'] });
    await w.close();
    const [file] = await warcFiles();
    expect(loc.filename).toBe(`warc/${file!.split('/').pop()}`);
    expect(file).toMatch(/\/jarvix-run1-\d{17}-w1-00000\.warc\.gz$/);
    const recs = [];
    for await (const r of readWarc(file!)) {
      const block = await r.readBlock();
      await r.done();
      recs.push({ r, block });
    }
    expect(recs.map((x) => x.r.type)).toEqual(['warcinfo', 'request', 'response', 'metadata']);
    const [info, req, res, md] = recs.map((x) => x.r);
    expect(info!.version).toBe('WARC/1.1');
    expect(recs[0]!.block.toString()).toContain('jarvix-config: {"a":1}');
    expect(req!.headers.get('WARC-Concurrent-To')).toBe(res!.recordId);
    expect(md!.headers.get('WARC-Concurrent-To')).toBe(res!.recordId);
    expect(res!.date).toBe('2024-01-02T03:04:05.678Z');
    expect(res!.headers.get('WARC-IP-Address')).toBe('127.0.0.1');
    expect(res!.headers.get('WARC-Payload-Digest')).toBe(loc.payloadDigest);
    expect(recs[3]!.block.toString()).toBe('fetchTimeMs: 42\r\nredirect: http://example.test/\r\nredirect: http://example.test/a?x=1\r\n');
    // The location points at the response member, and that member alone decompresses to the record.
    const bytes = await readFile(file!);
    expect(res!.offset).toBe(loc.offset);
    expect(res!.length).toBe(loc.length);
    expect(gunzipSync(bytes.subarray(loc.offset, loc.offset + loc.length)).toString('latin1')).toMatch(/^WARC\/1\.1\r\nWARC-Type: response\r\n[\s\S]*<p>hi<\/p>\r\n\r\n$/);
    expect((await verifyWarc(file!)).problems).toEqual([]);
  });

  it('is read by warcio.js with matching block and payload digests', async () => {
    const w = await WarcWriter.open(dirs);
    const big = Buffer.alloc(300_000, 'abcdefghij');
    await w.writeExchange(makeExchange({ url: 'http://example.test/big', body: big, headers: [['Content-Type', 'text/plain']] }), meta);
    await w.writeExchange(makeExchange({ url: 'http://example.test/404', status: 404, body: 'nope' }), meta);
    await w.writeExchange(makeExchange({ url: 'http://example.test/copy', body: big, headers: [['Content-Type', 'text/plain']] }), meta);
    await w.close();
    const [file] = await warcFiles();
    const blocks = await readWithWarcio(file!, false);
    expect(blocks.map((b) => b.type)).toEqual(['warcinfo', 'request', 'response', 'metadata', 'request', 'response', 'metadata', 'request', 'revisit', 'metadata']);
    for (const b of blocks) expect(b.digest).toBe(b.headers['warc-block-digest']);
    const payloads = await readWithWarcio(file!, true);
    const responses = payloads.filter((p) => p.type === 'response');
    for (const p of responses) expect(p.digest).toBe(p.headers['warc-payload-digest']);
    expect(responses.map((p) => p.status)).toEqual([200, 404]);
    const revisit = payloads.find((p) => p.type === 'revisit')!;
    expect(revisit.headers['warc-profile']).toBe('http://netpreserve.org/warc/1.1/revisit/identical-payload-digest');
    expect(revisit.headers['warc-refers-to-target-uri']).toBe('http://example.test/big');
    expect(revisit.headers['warc-refers-to-date']).toBe('2024-01-02T03:04:05.678Z');
    expect(revisit.headers['warc-payload-digest']).toBe(responses[0]!.digest);
  });

  it('streams a body that spilled to disk, and marks truncation with WARC-Truncated and a metadata field', async () => {
    const collector = new BodyCollector({ spillBytes: 64 * 1024, tmpDir: tmp.dir });
    const chunk = Buffer.alloc(256 * 1024);
    for (let i = 0; i < 12; i++) {
      chunk.fill(i);
      await collector.push(Buffer.from(chunk));
    }
    const body = await collector.finish();
    const w = await WarcWriter.open({ ...dirs, streamThresholdBytes: 100_000 });
    const loc = await w.writeExchange(makeExchange({ url: 'http://example.test/huge', body, truncated: 'length' }), { fetchDurationMs: 9, truncated: 'length' });
    await w.close();
    await body.dispose();
    const [file] = await warcFiles();
    const rec = await readRecordAt(file!, loc.offset);
    expect(rec.headers.get('WARC-Truncated')).toBe('length');
    expect(rec.block.length).toBe(rec.contentLength);
    expect(rec.block.length).toBeGreaterThan(12 * 256 * 1024);
    expect(rec.length).toBe(loc.length);
    expect((await verifyWarc(file!)).problems).toEqual([]);
    const mdText = [];
    for await (const r of readWarc(file!)) if (r.type === 'metadata') mdText.push((await r.readBlock()).toString());
    expect(mdText).toEqual(['fetchTimeMs: 9\r\ntruncated: length\r\n']);
  });

  it('renames Transfer-Encoding since the body is stored de-chunked', async () => {
    const w = await WarcWriter.open(dirs);
    const loc = await w.writeExchange(makeExchange({ url: 'http://example.test/c', body: '1a\r\nnot a chunk', headers: [['Content-Type', 'text/plain'], ['Transfer-Encoding', 'chunked']] }), meta);
    await w.close();
    const [file] = await warcFiles();
    const rec = await readRecordAt(file!, loc.offset);
    expect(rec.block.toString()).toContain('X-Crawler-Transfer-Encoding: chunked\r\n');
    expect(rec.block.toString()).not.toMatch(/\nTransfer-Encoding/i);
    const viaWarcio = (await readWithWarcio(file!, true)).find((r) => r.type === 'response')!;
    expect(viaWarcio.digest).toBe(loc.payloadDigest);
  });

  it('never interleaves records of concurrent writes, and rotates by size', async () => {
    const w = await WarcWriter.open({ ...dirs, maxFileBytes: 20_000 });
    const locs = await Promise.all(
      Array.from({ length: 60 }, (_, i) => w.writeExchange(makeExchange({ url: `http://h${i % 7}.test/p${i}`, body: `page ${i} `.repeat(50 + i) }), meta)),
    );
    await w.close();
    const files = await warcFiles();
    expect(files.length).toBeGreaterThan(2);
    expect(files.map((f) => f.match(/-(\d{5})\.warc\.gz$/)![1])).toEqual(files.map((_, i) => String(i).padStart(5, '0')));
    let responses = 0;
    for (const f of files) {
      const types: string[] = [];
      const uris: (string | undefined)[] = [];
      for await (const r of readWarc(f)) {
        types.push(r.type);
        uris.push(r.targetUri);
      }
      expect(types[0]).toBe('warcinfo');
      for (let i = 1; i < types.length; i += 3) {
        expect(types.slice(i, i + 3)).toEqual(['request', 'response', 'metadata']);
        expect(new Set(uris.slice(i, i + 3)).size).toBe(1);
        responses++;
      }
      expect((await verifyWarc(f)).problems).toEqual([]);
    }
    expect(responses).toBe(60);
    // Each file has its sorted CDXJ, and every location is in one of them.
    const cdx = new Map<string, string[]>();
    for (const f of files) {
      const name = f.split('/').pop()!;
      const lines = (await readFile(join(dirs.indexDir, `${name}.cdxj`), 'utf8')).trim().split('\n');
      expect([...lines].sort()).toEqual(lines);
      cdx.set(name, lines);
    }
    for (const loc of locs) {
      const name = loc.filename.replace('warc/', '');
      const entry = cdx.get(name)!.map(parseCdxj).find((e) => e!.offset === loc.offset);
      expect(entry?.length).toBe(loc.length);
      const rec = await readRecordAt(join(tmp.dir, loc.filename), loc.offset);
      expect(rec.type).toBe('response');
      expect(rec.targetUri).toBe(entry!.url);
    }
  });

  it('deduplicates only 2xx payloads, and remembers them after a reopen (from the CDXJ)', async () => {
    const w = await WarcWriter.open(dirs);
    const a = await w.writeExchange(makeExchange({ url: 'http://x.test/err1', status: 500, body: 'same' }), meta);
    const b = await w.writeExchange(makeExchange({ url: 'http://x.test/err2', status: 500, body: 'same' }), meta);
    const c = await w.writeExchange(makeExchange({ url: 'http://x.test/ok1', body: 'same' }), meta);
    const d = await w.writeExchange(makeExchange({ url: 'http://x.test/ok2', body: 'same' }), meta);
    const e = await w.writeExchange(makeExchange({ url: 'http://x.test/empty1', body: '' }), meta);
    const f = await w.writeExchange(makeExchange({ url: 'http://x.test/empty2', body: '' }), meta);
    await w.close();
    expect([a, b, c, d, e, f].map((l) => l.revisit)).toEqual([false, false, false, true, false, false]);
    const w2 = await WarcWriter.open(dirs);
    const g = await w2.writeExchange(makeExchange({ url: 'http://x.test/ok3', body: 'same' }), meta);
    await w2.close();
    expect(g.revisit).toBe(true);
    expect(g.filename).toMatch(/-w1-00001\.warc\.gz$/);
    const rec = await readRecordAt(join(tmp.dir, g.filename), g.offset);
    expect(rec.headers.get('WARC-Refers-To-Target-URI')).toBe('http://x.test/ok1');
  });

  it('rejects bad options and writes after close with coded errors', async () => {
    await expect(WarcWriter.open({ ...dirs, worker: 'a/b' })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID' });
    await expect(WarcWriter.open({ ...dirs, maxFileBytes: 5 })).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_INVALID' });
    await expect(WarcWriter.open({ ...dirs, colour: 'red' } as never)).rejects.toMatchObject({ code: 'JVX_ERR_OPTION_UNKNOWN' });
    const w = await WarcWriter.open(dirs);
    await w.close();
    expect(() => w.writeExchange(makeExchange({ url: 'http://x.test/' }), meta)).toThrow(expect.objectContaining({ code: 'JVX_ERR_WARC_WRITER_CLOSED' }));
  });
});
