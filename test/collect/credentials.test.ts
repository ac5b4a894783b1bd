import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunDatabase } from '../../src/query/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Every file under a folder, recursively. */
async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

const SECRETS = ['topsecret', 'linkpw', 'redpw', 'badpw'];

/**
 * URLs given with user:password@ (in the input, in a link, in a redirect) are never sent and never
 * written: not in the dataset, the WARC, the index, the state, run.json, the logs or stderr.
 * (Built CLI: `npm run build` first.)
 */
describe('collect: URL credentials are stripped from everything written', () => {
  let server: Server;
  let port: number;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  const authorizations: string[] = [];
  let stderr = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.headers.authorization) authorizations.push(req.headers.authorization);
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      if (req.url === '/redirect') return res.writeHead(302, { location: `http://reduser:redpw@cred.test:${port}/final` }).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><title>t</title><body><a href="http://linkuser:linkpw@cred.test:${port}/linked">x</a></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    tmp = await tempDir();
    const input = join(tmp.dir, 'seeds.txt');
    await writeFile(input, [`http://user:topsecret@cred.test:${port}/page`, `http://user:topsecret@cred.test:${port}/redirect`, 'http://baduser:badpw@[oops/'].join('\n'));
    const r = await runCli([
      'collect', '--run', 'creds', '--data', tmp.dir, '--input', input, '--resolve', `cred.test:127.0.0.1`, '--allow-private',
      '--delay-ms', '0', '--progress', 'lines', '--log-level', 'debug', '--log-file', join(tmp.dir, 'runs', 'log.jsonl'),
    ]);
    stderr = r.stderr;
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await tmp?.cleanup();
  });

  it('never sends them (no Authorization header)', () => {
    expect(authorizations).toEqual([]);
  });

  it('the dataset has the URLs without credentials, and the bad line redacted', async () => {
    const db = await openRunDatabase(join(tmp.dir, 'runs', 'creds'));
    try {
      const pages = await db.query('SELECT url, fetch_redirect FROM pages ORDER BY url');
      expect(pages).toEqual([
        { url: `http://cred.test:${port}/page`, fetch_redirect: null },
        { url: `http://cred.test:${port}/redirect`, fetch_redirect: `http://cred.test:${port}/final` },
      ]);
      expect(await db.query('SELECT DISTINCT dst_url FROM links')).toEqual([{ dst_url: `http://cred.test:${port}/linked` }]);
      const errors = await db.query('SELECT url FROM errors');
      expect(errors).toEqual([{ url: 'http://***@[oops/' }]);
      for (const table of ['pages', 'links', 'chunks', 'errors']) {
        const all = JSON.stringify(await db.query(`SELECT * FROM ${table}`));
        for (const s of SECRETS) expect(all, `${table} holds ${s}`).not.toContain(s);
      }
    } finally {
      await db.close();
    }
  });

  it('no file of the run (WARC decompressed, CDXJ, state.sqlite, run.json, logs) and no message holds them', async () => {
    const warcs = (await files(join(tmp.dir, 'runs'))).filter((f) => f.endsWith('.warc.gz'));
    expect(warcs.length).toBeGreaterThan(0);
    const warcText = (await Promise.all(warcs.map(async (f) => gunzipSync(await readFile(f)).toString('latin1')))).join('');
    expect(warcText).toContain(`WARC-Target-URI: http://cred.test:${port}/page`);
    expect(warcText).toContain(`WARC-Target-URI: http://cred.test:${port}/final`);
    // What was requested is recorded minus credentials; what the server sent (a link, a Location
    // holding credentials) is archived byte for byte, as a WARC must: only inside response records.
    const records = warcText.split(/\r\n(?=WARC\/1\.[01]\r\n)/);
    for (const rec of records) {
      const head = rec.slice(0, rec.indexOf('\r\n\r\n'));
      for (const s of SECRETS) expect(head.includes(s), `WARC header holds ${s}: ${head}`).toBe(false);
      if (!/WARC-Type: response/.test(head)) for (const s of SECRETS) expect(rec.includes(s), `non-response record holds ${s}`).toBe(false);
    }
    expect(warcText).not.toContain('topsecret');
    for (const f of await files(join(tmp.dir, 'runs'))) {
      if (f.endsWith('.warc.gz')) continue;
      const bytes = f.endsWith('.gz') ? gunzipSync(await readFile(f)) : await readFile(f);
      const text = bytes.toString('latin1');
      for (const s of SECRETS) expect(text.includes(s), `${f} holds ${s}`).toBe(false);
    }
    for (const s of SECRETS) expect(stderr, `stderr holds ${s}`).not.toContain(s);
    expect(stderr).toContain('user:password@ removed');
  });
});
