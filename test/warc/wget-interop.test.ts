import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { WarcReader, cdxjEntriesOf, httpPayload, readRecordAt, verifyWarc } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { startForwardProxy } from './forward-proxy.js';

const run = promisify(execFile);

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const wget = onPath('wget');

/** What the synthetic web serves for `url`, fetched directly (the site chosen by the Host header). */
function fetchDirect(web: TestWeb, url: string): Promise<Buffer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: web.address, port: web.port, path: `${u.pathname}${u.search}`, headers: { host: u.host } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve(Buffer.concat(parts)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('interop with wget --warc-file (Debian wget)', () => {
  if (!wget) {
    if (process.env.CI) {
      it('wget is installed (CI must install the Debian package `wget`)', () => {
        throw new Error('wget not found on PATH: install the Debian package `wget` (apt-get install -y wget)');
      });
    } else {
      it.skip('skipped: wget not found on PATH (install the Debian package `wget`)', () => undefined);
    }
    return;
  }

  let tmp: { dir: string; cleanup: () => Promise<void> };
  let web: TestWeb;
  let proxy: { url: string; close: () => Promise<void> } | undefined;
  let urls: string[];
  const files: Record<'gz' | 'plain', string> = { gz: '', plain: '' };
  beforeAll(async () => {
    tmp = await tempDir();
    web = await startTestWeb({ hosts: 3, pagesPerHost: 20, latency: { kind: 'none' }, faults: 0, robots: { disallow: 0, crawlDelay: 0, malformed: 0, notFound: 0, serverError: 0, timeout: 0 } });
    urls = [web.url(0), web.url(0, 1), web.url(0, 2), web.url(1), web.url(1, 3), web.url(2, 5)];
    // Through a proxy wget asks for the absolute URI with the right Host, so one loopback port
    // reaches every *.test site and the WARC holds their real URLs.
    proxy = await startForwardProxy(web.address, web.port);
    const common = ['-e', 'use_proxy=yes', '-e', `http_proxy=${proxy.url}`, '-e', 'robots=off', '--no-verbose', '--tries=1', '--timeout=20', '-O', join(tmp.dir, 'pages.out')];
    await run(wget!, [...common, `--warc-file=${join(tmp.dir, 'wget')}`, ...urls], { cwd: tmp.dir, timeout: 60_000 });
    await run(wget!, [...common, '--no-warc-compression', `--warc-file=${join(tmp.dir, 'wget-plain')}`, ...urls], { cwd: tmp.dir, timeout: 60_000 });
    files.gz = join(tmp.dir, 'wget.warc.gz');
    files.plain = join(tmp.dir, 'wget-plain.warc');
  }, 90_000);
  afterAll(async () => {
    await proxy?.close();
    await web?.close();
    await tmp?.cleanup();
  });

  for (const kind of ['gz', 'plain'] as const) {
    it(`reads every record of wget's ${kind === 'gz' ? '.warc.gz' : '.warc'}, its only oddity the <uri> form`, async () => {
      const reader = new WarcReader(files[kind]);
      const byType: Record<string, number> = {};
      const responses: string[] = [];
      for await (const r of reader.records()) {
        byType[r.type] = (byType[r.type] ?? 0) + 1;
        if (r.type === 'response') responses.push(r.targetUri ?? '');
        await r.done();
        expect(r.complete).toBe(true);
      }
      // wget writes WARC/1.0 with `WARC-Target-URI: <uri>` (the 1.0 spec's examples); that is the
      // one leniency its files need.
      expect(Object.keys(reader.anomalies.counts)).toEqual(['uri-angle-brackets']);
      expect(byType.warcinfo).toBe(1);
      expect(byType.request).toBe(urls.length);
      expect(responses.sort()).toEqual([...urls].sort());
    });

    it(`verifies wget's ${kind} WARC: structure, lengths, block and payload digests`, async () => {
      const v = await verifyWarc(files[kind]);
      expect(v.problems.filter((p) => p.code !== 'JVX_ERR_WARC_URI_ANGLE_BRACKETS')).toEqual([]);
      expect(v.records).toBeGreaterThan(urls.length * 2);
    });
  }

  it("indexes wget's WARC: one CDXJ line per page, offsets read back the record and its payload", async () => {
    const entries = [];
    for await (const e of cdxjEntriesOf(files.gz)) entries.push(e);
    expect(entries.map((e) => e.url).sort()).toEqual([...urls].sort());
    for (const e of entries) {
      expect(e.status).toBe('200');
      expect(e.mime).toBe('text/html');
      const rec = await readRecordAt(files.gz, e.offset);
      expect(rec.type).toBe('response');
      expect(rec.targetUri).toBe(e.url);
      expect(rec.length).toBe(e.length);
      expect(rec.headers.get('WARC-Payload-Digest')).toBe(`sha1:${e.digest}`);
      const { payload } = await httpPayload(rec.block);
      expect(payload.equals(await fetchDirect(web, e.url))).toBe(true);
    }
  });
});
