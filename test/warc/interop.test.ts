import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import { createReadStream } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WARCParser, WARCRecord, WARCSerializer } from 'warcio';
import { BodyCollector } from '../../src/http/body.js';
import type { HttpExchange } from '../../src/http/exchange.js';
import { WarcWriter, cdxjEntriesOf, httpPayload, readRecordAt, readWarc, verifyWarc, WarcReader } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';

/** Three records written by warcio.js itself. */
async function warcioRecords(): Promise<WARCRecord[]> {
  const info = await WARCRecord.createWARCInfo({ filename: 'x.warc', warcVersion: 'WARC/1.1' }, { software: 'warcio.js' });
  const res = WARCRecord.create(
    { url: 'http://example.com/page', date: '2020-01-02T03:04:05Z', type: 'response', warcVersion: 'WARC/1.1', httpHeaders: { 'Content-Type': 'text/html' }, statusline: 'HTTP/1.1 200 OK' },
    (async function* () {
      yield new TextEncoder().encode('<html>warcio</html>');
    })(),
  );
  const req = WARCRecord.create(
    { url: 'http://example.com/page', date: '2020-01-02T03:04:05Z', type: 'request', warcVersion: 'WARC/1.1', httpHeaders: { Host: 'example.com' }, statusline: 'GET /page HTTP/1.1' },
    (async function* () {})(),
  );
  return [info, res, req];
}

describe('interoperability with warcio.js', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let server: Server;
  beforeAll(async () => {
    tmp = await tempDir();
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await tmp.cleanup();
  });

  for (const mode of ['plain', 'gzip-per-record', 'whole-file-gzip'] as const) {
    it(`reads a ${mode} WARC written by warcio.js`, async () => {
      const parts: Uint8Array[] = [];
      for (const rec of await warcioRecords()) parts.push(await WARCSerializer.serialize(rec, { gzip: mode === 'gzip-per-record' }));
      let bytes = Buffer.concat(parts);
      if (mode === 'whole-file-gzip') bytes = gzipSync(bytes);
      const file = join(tmp.dir, `warcio-${mode}.warc${mode === 'plain' ? '' : '.gz'}`);
      await writeFile(file, bytes);
      const reader = new WarcReader(file);
      const seen: { type: string; uri: string | undefined; block: string; offset: number }[] = [];
      for await (const r of reader.records()) seen.push({ type: r.type, uri: r.targetUri, block: (await r.readBlock()).toString(), offset: r.offset });
      expect(seen.map((s) => s.type)).toEqual(['warcinfo', 'response', 'request']);
      expect(seen[1]!.uri).toBe('http://example.com/page');
      expect(seen[1]!.block).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n<html>warcio<\/html>$/);
      const { problems } = await verifyWarc(file);
      if (mode === 'whole-file-gzip') expect(problems.map((p) => p.code)).toEqual(['JVX_ERR_WARC_GZIP_SHARED_MEMBER']);
      else expect(problems).toEqual([]);
      if (mode !== 'whole-file-gzip') {
        // Our offsets are warcio's offsets.
        const parser = new WARCParser(createReadStream(file));
        const offsets: number[] = [];
        for await (const rec of parser) {
          await rec.readFully(false);
          offsets.push(parser.offset);
        }
        expect(seen.map((s) => s.offset)).toEqual(offsets);
      }
    });
  }

  it('index offsets let warcio read each record at its offset', async () => {
    const dir = join(tmp.dir, 'run-a');
    const w = await WarcWriter.open({ dir: join(dir, 'warc'), indexDir: join(dir, 'index'), run: 'a', worker: 'w' });
    const { bodyFromBuffer } = await import('../../src/http/body.js');
    for (let i = 0; i < 20; i++) {
      const body = bodyFromBuffer(Buffer.from(`body number ${i}`.repeat(i + 1)));
      const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`);
      await w.writeExchange(
        { url: `http://s${i % 3}.test/p/${i}`, method: 'GET', requestHead: Buffer.from(`GET /p/${i} HTTP/1.1\r\nHost: s.test\r\n\r\n`), httpVersion: '1.1', statusCode: 200, statusText: 'OK', rawHeaders: [], responseHead: head, body, truncated: null, remoteAddress: '127.0.0.1', startedAt: Date.UTC(2024, 1, 1, 0, 0, i), durationMs: 1 },
        { fetchDurationMs: 1, truncated: null },
      );
    }
    await w.close();
    const [name] = await readdir(join(dir, 'warc'));
    const file = join(dir, 'warc', name!);
    let n = 0;
    for await (const e of cdxjEntriesOf(file)) {
      const stream = createReadStream(file, { start: e.offset, end: e.offset + e.length - 1 });
      const rec = await new WARCParser(stream).parse();
      expect(rec?.warcTargetURI).toBe(e.url);
      expect(rec?.warcType).toBe('response');
      n++;
    }
    expect(n).toBe(20);
  });

  it('archives a real loopback exchange (chunked, gzip) that warcio and our reader both decode', async () => {
    const html = Buffer.from('<html><body>' + 'loopback '.repeat(5000) + '</body></html>');
    const gz = gzipSync(html);
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
      // No Content-Length: node sends it chunked.
      res.write(gz.subarray(0, 1000));
      setImmediate(() => res.end(gz.subarray(1000)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/page`;
    const startedAt = Date.now();
    const ex = await new Promise<HttpExchange>((resolve, reject) => {
      const req = request(url, { agent: false, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const remoteAddress = res.socket.remoteAddress;
        const collector = new BodyCollector();
        res.on('data', (c: Buffer) => void collector.push(c));
        res.on('end', async () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          const responseHead = Buffer.from(`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}\r\n${pairs.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, 'latin1');
          resolve({
            url, method: 'GET', requestHead: Buffer.from(`GET /page HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept-Encoding: gzip\r\n\r\n`), httpVersion: res.httpVersion,
            statusCode: res.statusCode!, statusText: res.statusMessage ?? '', rawHeaders: pairs, responseHead, body: await collector.finish(),
            truncated: null, remoteAddress, startedAt, durationMs: Date.now() - startedAt,
          });
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(ex.responseHead.toString()).toMatch(/Transfer-Encoding: chunked/i);
    const dir = join(tmp.dir, 'run-loop');
    const w = await WarcWriter.open({ dir: join(dir, 'warc'), indexDir: join(dir, 'index'), run: 'loop', worker: 'w' });
    const loc = await w.writeExchange(ex, { fetchDurationMs: ex.durationMs, truncated: null });
    await w.close();
    const file = join(dir, loc.filename);
    const rec = await readRecordAt(file, loc.offset);
    expect(rec.headers.get('WARC-IP-Address')).toBe('127.0.0.1');
    const { head, payload } = await httpPayload(rec.block);
    expect(head?.status).toBe(200);
    expect(payload.equals(html)).toBe(true);
    // warcio decodes the same content (content-encoding undone, nothing de-chunked by mistake).
    const parser = new WARCParser(createReadStream(file));
    let text = '';
    for await (const r of parser) if (r.warcType === 'response') text = await r.contentText();
    expect(text).toBe(html.toString());
    expect((await verifyWarc(file)).problems).toEqual([]);
    let n = 0;
    for await (const r of readWarc(file)) if (r.type === 'response') n++;
    expect(n).toBe(1);
  });
});
