import { request } from 'node:http';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, startServer, type RunningServer, type ServeContext } from '../../src/serve/index.js';
import { tempDir } from '../helpers/tmp.js';
import { GZ_BODY, PNG, writeLoneWarc, writeShopWarc } from './fixtures.js';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with nothing decoded or followed: what a replay client gets byte for byte. */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const json = (r: Res): unknown => JSON.parse(r.body.toString('utf8'));

describe('jarvix serve: replay and APIs over a third-party WARC', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let server: RunningServer;
  let ctx: ServeContext;
  let base: string;
  let lone: string;

  beforeAll(async () => {
    tmp = await tempDir('jarvix-serve-api-');
    const warcDir = join(tmp.dir, 'third-party');
    await mkdir(join(warcDir, 'sub'), { recursive: true });
    await writeShopWarc(join(warcDir, 'shop.warc'));
    lone = join(warcDir, 'sub', 'lone.warc');
    await writeLoneWarc(lone, 'http://shop.example/fragile', 'fragile page text');
    await writeFile(join(warcDir, 'notes.txt'), 'not an archive');
    await symlink('/etc', join(warcDir, 'escape.warc')).catch(() => undefined);
    await writeFile(join(tmp.dir, 'x.wacz'), Buffer.from('0123456789'));
    const problems: string[] = [];
    const opened = await openArchive({ dataDir: tmp.dir, runs: [], warcs: [warcDir], wacz: [join(tmp.dir, 'x.wacz')], onProblem: (p) => problems.push(`${p.file}: ${p.message}`) });
    ctx = opened.context;
    expect(opened.summary.captures).toBe(10);
    expect(problems.join('\n')).toMatch(/escape\.warc: symbolic link leading outside the folder/);
    server = await startServer(ctx, { port: 0 });
    base = server.url;
  });
  afterAll(async () => {
    await server?.close();
    ctx?.index.close();
    await tmp?.cleanup();
  });

  it('redirects a partial timestamp to the nearest capture and replays it rewritten, with Memento headers and banner', async () => {
    const r = await get(base, '/web/2024/http://shop.example/');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/web/20240102030405/http://shop.example/');
    const nearSecond = await get(base, '/web/20240201/http://shop.example/');
    expect(nearSecond.headers.location).toBe('/web/20240202030405/http://shop.example/');
    const page = await get(base, '/web/20240102030405/http://shop.example/');
    expect(page.status).toBe(200);
    expect(page.headers['memento-datetime']).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(page.headers.link).toContain('<http://shop.example/>; rel="original"');
    expect(page.headers['x-archive-orig-set-cookie']).toBe('sid=1');
    expect(page.headers['set-cookie']).toBeUndefined();
    const html = page.body.toString('utf8');
    expect(html).toContain('href="/web/20240102030405cs_/http://shop.example/style.css"');
    expect(html).toContain('src="/web/20240102030405im_/http://shop.example/logo.png"');
    expect(html).toContain('srcset="/web/20240102030405im_/http://shop.example/logo.png 1x, /web/20240102030405im_/http://shop.example/logo.png?big=1 2x"');
    expect(html).toContain("url('/web/20240102030405im_/http://shop.example/logo.png')");
    expect(html).toContain('href="/web/20240102030405/http://shop.example/about"');
    expect(html).toContain('href="/web/20240102030405/https://elsewhere.example/x"');
    expect(html).toContain('action="/web/20240102030405/http://shop.example/search"');
    expect(html).toContain('content="600; url=/web/20240102030405/http://shop.example/about"');
    expect(html).toContain('data-archived-integrity="sha256-x"');
    expect(html).toContain('id="jarvix-banner"');
    const noBanner = await get(base, '/web/20240102030405/http://shop.example/?banner=0');
    expect(noBanner.body.toString()).not.toContain('jarvix-banner');
    const mp = await get(base, '/web/20240102030405mp_/http://shop.example/');
    expect(mp.body.toString()).not.toContain('jarvix-banner');
    expect(mp.body.toString()).toContain('/web/20240102030405cs_/http://shop.example/style.css');
  });

  it('serves id_ byte for byte with archived headers, hop-by-hop dropped and Content-Encoding as stored', async () => {
    const gz = await get(base, '/web/20240102030405id_/http://shop.example/gz');
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.equals(GZ_BODY)).toBe(true);
    const png = await get(base, '/web/20240102030405id_/http://shop.example/logo.png');
    expect(png.body.equals(PNG)).toBe(true);
    expect(png.headers['content-type']).toBe('image/png');
    const home = await get(base, '/web/20240102030405id_/http://shop.example/');
    expect(home.headers['x-private-hop']).toBeUndefined();
    expect(home.headers['x-kept']).toBe('yes');
    expect(home.body.toString()).toContain('href="/style.css"');
  });

  it('rewrites CSS url() and @import, resolves revisits, replays redirects and recorded failures', async () => {
    const css = (await get(base, '/web/20240102030405cs_/http://shop.example/style.css')).body.toString();
    expect(css).toContain('url(/web/20240102030405im_/http://shop.example/logo.png)');
    expect(css).toContain('@import "/web/20240102030405cs_/http://shop.example/more.css"');
    const revisit = await get(base, '/web/20240202030405/http://shop.example/about');
    expect(revisit.status).toBe(200);
    expect(revisit.body.toString()).toContain('We sell archived things.');
    const moved = await get(base, '/web/20240102030405/http://shop.example/old');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/web/20240102030405/http://shop.example/about');
    const missing = await get(base, '/web/20240102030405/http://shop.example/missing');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('Nothing here, said the server.');
    expect(missing.body.toString()).toContain('recorded status 404');
  });

  it('answers a URL never captured with a 404 page offering the closest URLs', async () => {
    const r = await get(base, '/web/2024/http://shop.example/abou');
    expect(r.status).toBe(404);
    expect(r.headers['x-jarvix-error']).toBe('JVX_ERR_REPLAY_NOT_CAPTURED');
    expect(r.body.toString()).toContain('http://shop.example/about');
  });

  it('CDX API: match types, from/to, filter, collapse, limit, json and cdxj', async () => {
    const lines = (r: Res): string[] => r.body.toString().trim().split('\n').filter(Boolean);
    const exact = lines(await get(base, '/cdx?url=http://shop.example/&output=json')).map((l) => JSON.parse(l) as { timestamp: string; urlkey: string });
    expect(exact.map((e) => e.timestamp)).toEqual(['20240102030405', '20240202030405']);
    expect(lines(await get(base, '/cdx?url=shop.example&matchType=host'))).toHaveLength(10);
    expect(lines(await get(base, '/cdx?url=shop.example/about&matchType=domain'))).toHaveLength(10);
    expect(lines(await get(base, '/cdx?url=other.example&matchType=domain'))).toHaveLength(0);
    expect(lines(await get(base, '/cdx?url=shop.example/ab&matchType=prefix'))).toHaveLength(2);
    expect(lines(await get(base, '/cdx?url=shop.example/ab*'))).toHaveLength(2);
    expect(lines(await get(base, '/cdx?url=shop.example&matchType=host&from=202402&to=2024'))).toHaveLength(3);
    expect(lines(await get(base, '/cdx?url=shop.example&matchType=host&from=202402&to=202402'))).toHaveLength(2);
    expect(lines(await get(base, '/cdx?url=shop.example&matchType=host&filter=status:404'))).toHaveLength(1);
    expect(lines(await get(base, '/cdx?url=shop.example&matchType=host&filter=!mime:html'))).toHaveLength(3);
    expect(lines(await get(base, '/cdx?url=shop.example&matchType=host&limit=3'))).toHaveLength(3);
    expect(lines(await get(base, '/cdx?url=shop.example/about&collapse=digest'))).toHaveLength(1);
    const cdxj = lines(await get(base, '/cdx?url=shop.example/logo.png'))[0]!;
    expect(cdxj).toMatch(/^example,shop\)\/logo\.png 20240102030405 \{"url":"http:\/\/shop\.example\/logo\.png","mime":"image\/png","status":"200"/);
    for (const bad of ['/cdx', '/cdx?url=shop.example&matchType=everything', '/cdx?url=shop.example&limit=0', '/cdx?url=shop.example&from=20241399', '/cdx?url=shop.example&filter=nope:1', '/cdx?url=shop.example&output=xml']) {
      const r = await get(base, bad);
      expect(r.status, bad).toBe(400);
      expect((json(r) as { error: { code: string } }).error.code).toMatch(/^JVX_ERR_REPLAY_/);
    }
  });

  it('Memento: TimeMap in link format and a TimeGate following Accept-Datetime', async () => {
    const tm = await get(base, '/web/timemap/link/http://shop.example/');
    expect(tm.headers['content-type']).toContain('application/link-format');
    const body = tm.body.toString();
    expect(body).toContain('</web/20240102030405/http://shop.example/>; rel="first memento"; datetime="Tue, 02 Jan 2024 03:04:05 GMT"');
    expect(body).toContain('rel="last memento"; datetime="Fri, 02 Feb 2024 03:04:05 GMT"');
    const latest = await get(base, '/web/http://shop.example/');
    expect(latest.status).toBe(302);
    expect(latest.headers.location).toBe('/web/20240202030405/http://shop.example/');
    const early = await get(base, '/web/http://shop.example/', { 'Accept-Datetime': 'Mon, 01 Jan 2024 00:00:00 GMT' });
    expect(early.headers.location).toBe('/web/20240102030405/http://shop.example/');
    expect(early.headers.vary).toContain('accept-datetime');
    expect((await get(base, '/web/http://shop.example/', { 'Accept-Datetime': 'yesterday-ish' })).status).toBe(400);
  });

  it('timeline collapses equal digests and carries the change scores stored at indexing', async () => {
    const home = json(await get(base, '/timeline/http://shop.example/')) as { entries: { change: number | null; captures: number }[] };
    expect(home.entries).toHaveLength(2);
    expect(home.entries[0]!.change).toBeNull();
    expect(home.entries[1]!.change).toBeGreaterThan(0);
    expect(home.entries[1]!.change).toBeLessThan(1);
    const about = json(await get(base, '/timeline/http://shop.example/about')) as { captures: number; distinct: number; entries: { captures: number }[] };
    expect(about).toMatchObject({ captures: 2, distinct: 1 });
    expect(about.entries[0]!.captures).toBe(2);
    // Stored, not computed per request: the column is filled in the index itself.
    const stored = ctx.index.db.prepare("SELECT change FROM captures WHERE url = 'http://shop.example/' ORDER BY ts").all() as { change: number | null }[];
    expect(stored[1]!.change).toBe(home.entries[1]!.change);
  });

  it('diff: blocks then words, links and source, with counts', async () => {
    const text = json(await get(base, '/diff/20240102/20240202/http://shop.example/?type=text')) as { blocks: { op: string; words?: { op: string; text: string }[] }[]; lines: { added: number; removed: number }; words: { added: number }; partial: boolean };
    expect(text.partial).toBe(false);
    const change = text.blocks.find((b) => b.op === 'change')!;
    expect(change.words).toContainEqual({ op: 'add', text: 'back ' });
    expect(text.lines).toMatchObject({ added: 2, removed: 2 });
    expect(text.words.added).toBeGreaterThanOrEqual(4);
    const links = json(await get(base, '/diff/20240102/20240202/http://shop.example/?type=links')) as { lines: { added: number; removed: number; kept: number } };
    expect(links.lines).toMatchObject({ added: 0, removed: 0 });
    expect(links.lines.kept).toBeGreaterThan(1);
    const source = json(await get(base, '/diff/20240102/20240202/http://shop.example/?type=source&timeoutMs=500')) as { lines: { removed: number } };
    expect(source.lines.removed).toBe(1);
    expect((await get(base, '/diff/20240102/20240202/http://shop.example/?type=pixels')).status).toBe(400);
    expect((await get(base, '/diff/2024x/20240202/http://shop.example/')).status).toBe(400);
  });

  it('serves WACZ files with Range, CORS and 416 past the end; refuses traversal', async () => {
    const whole = await get(base, '/wacz/x.wacz');
    expect(whole.status).toBe(200);
    expect(whole.headers['access-control-allow-origin']).toBe('*');
    const part = await get(base, '/wacz/x.wacz', { Range: 'bytes=2-5' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-5/10');
    expect(part.body.toString()).toBe('2345');
    expect((await get(base, '/wacz/x.wacz', { Range: 'bytes=-3' })).body.toString()).toBe('789');
    const past = await get(base, '/wacz/x.wacz', { Range: 'bytes=10-20' });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */10');
    expect((await get(base, '/wacz/x.wacz', {}, 'OPTIONS')).headers['access-control-allow-headers']).toBe('Range');
    for (const p of ['/wacz/..%2Fx.wacz', '/wacz/../etc/passwd', '/wacz/%2e%2e%2fshop.warc']) {
      const r = await get(base, p);
      expect(r.status, p).toBe(400);
      expect((json(r) as { error: { code: string } }).error.code).toBe('JVX_ERR_SERVE_PATH_TRAVERSAL');
    }
    expect((await get(base, '/wacz/other.wacz')).status).toBe(404);
    expect((await get(base, '/../../etc/passwd')).status).toBe(404);
  });

  it('answers bad input with a clear status and keeps serving: malformed timestamp, bad modifier, truncated WARC', async () => {
    const bad = await get(base, '/web/2024ab/http://shop.example/');
    expect(bad.status).toBe(400);
    expect(bad.headers['x-jarvix-error']).toBe('JVX_ERR_REPLAY_BAD_TIMESTAMP');
    expect((await get(base, '/web/20241341/http://shop.example/')).status).toBe(400);
    expect((await get(base, '/web/2024zz_/http://shop.example/')).status).toBe(400);
    expect((await get(base, '/web/2024/ftp://shop.example/')).status).toBe(400);
    expect((await get(base, '/web/20240303000000/http://shop.example/fragile')).body.toString()).toContain('fragile page text');
    await truncate(lone, 200); // damaged after it was indexed
    const cut = await get(base, '/web/20240303000000/http://shop.example/fragile');
    expect(cut.status).toBe(502);
    expect(cut.headers['x-jarvix-error']).toBe('JVX_ERR_REPLAY_RECORD_UNREADABLE');
    expect(cut.body.toString()).toContain('lone.warc');
    expect((await get(base, '/web/20240102030406/http://shop.example/about')).status).toBe(200);
    expect((await get(base, '/nowhere')).status).toBe(404);
  });
});
