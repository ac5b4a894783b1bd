import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { Collector } from '../../src/collect/collector.js';
import { htmlRequisites, cssUrls } from '../../src/collect/requisites.js';
import { parseResolveRule } from '../../src/net/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { startTestWeb } from '../../src/testweb/index.js';
import { REQUISITE_PATHS } from '../../src/testweb/requisites.js';
import { cdxjEntriesOf } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';

describe('collect --page-requisites', () => {
  it('archives every stylesheet, script, image, icon and font a page needs (CSS imports included), once per URL, without pages rows', async () => {
    const web = await startTestWeb({ seed: 5, hosts: 2, pagesPerHost: 20, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0, robots: {}, requisites: true });
    const tmp = await tempDir();
    try {
      const seeds = [web.url(0, 0), web.url(0, 1), web.url(1, 0)];
      await writeFile(join(tmp.dir, 'seeds.txt'), seeds.join('\n'));
      const collector = new Collector({
        dataDir: tmp.dir,
        runId: 'req',
        input: join(tmp.dir, 'seeds.txt'),
        resolve: [parseResolveRule(web.resolveRule)],
        allowPrivate: true,
        hostDelayMs: 0,
        pageRequisites: true,
        progress: 'none',
      });
      await collector.run();

      const db = await openRunDatabase(join(tmp.dir, 'runs', 'req'));
      try {
        const pages = (await db.query('SELECT url FROM pages ORDER BY url')) as { url: string }[];
        expect(pages.map((p) => p.url)).toEqual([...seeds].sort());
        const errors = (await db.query('SELECT count(*)::INTEGER AS n FROM errors')) as { n: number }[];
        expect(errors[0]!.n).toBe(0);
      } finally {
        await db.close();
      }

      const warcDir = join(tmp.dir, 'runs', 'req', 'warc');
      const archived: string[] = [];
      for (const f of await readdir(warcDir)) for await (const e of cdxjEntriesOf(join(warcDir, f))) archived.push(e.url);
      for (const host of [0, 1]) {
        const origin = web.url(host, 0).replace(/\/$/, '');
        for (const path of REQUISITE_PATHS) expect(archived, `${origin}${path}`).toContain(`${origin}${path}`);
        // Each requisite fetched once, though two pages of host 0 share them.
        const served = web.record.host(new URL(origin).hostname)!.requests.filter((r) => r.path.startsWith('/static/') || r.path.startsWith('/private/') || r.path === '/favicon.svg');
        expect(served.map((r) => r.path).sort()).toEqual([...REQUISITE_PATHS].sort());
      }
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  }, 120_000);

  it("honours each requisite's robots.txt: a disallowed one is never requested and gets an errors row of stage requisite", async () => {
    const web = await startTestWeb({ seed: 5, hosts: 1, pagesPerHost: 20, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0, robots: { disallow: 1 }, requisites: true });
    const tmp = await tempDir();
    try {
      await writeFile(join(tmp.dir, 'seeds.txt'), web.url(0, 0));
      await new Collector({ dataDir: tmp.dir, runId: 'rb', input: join(tmp.dir, 'seeds.txt'), resolve: [parseResolveRule(web.resolveRule)], allowPrivate: true, hostDelayMs: 0, pageRequisites: true, progress: 'none' }).run();
      const paths = web.record.host('site-0000.test')!.requests.map((r) => r.path);
      expect(paths).toContain('/static/site.css');
      expect(paths).not.toContain('/private/pixel.svg');
      const db = await openRunDatabase(join(tmp.dir, 'runs', 'rb'));
      try {
        expect(await db.query('SELECT url, stage, error_code FROM errors')).toEqual([{ url: 'http://site-0000.test/private/pixel.svg', stage: 'requisite', error_code: 'JVX_ERR_ROBOTS_DISALLOWED' }]);
        expect(await db.query('SELECT url FROM pages')).toEqual([{ url: web.url(0, 0) }]);
      } finally {
        await db.close();
      }
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  }, 120_000);

  it('finds requisites in HTML and CSS: img, srcset, link rel, script, style attributes and blocks, url() and @import', () => {
    const html = `<html><head><base href="/b/"><link rel="stylesheet" href="s.css"><link rel="shortcut icon" href="/i.ico"><link rel="alternate" href="/feed">
      <link rel="preload" as="image" imagesrcset="a.png 1x, a2.png 2x"><script src="/j.js"></script><style>@import 'im.css'; p{background:url("bg.png")}</style></head>
      <body style="background-image:url(body.png)"><img src="x.png" srcset="x.png 1x, x2.png 2x"><picture><source srcset="p.webp"></picture><a href="/not-a-requisite">a</a></body></html>`;
    const { base, urls } = htmlRequisites(html);
    expect(base).toBe('/b/');
    expect(urls.sort()).toEqual(['/i.ico', '/j.js', 'a.png', 'a2.png', 'bg.png', 'body.png', 'im.css', 'p.webp', 's.css', 'x.png', 'x.png', 'x2.png'].sort());
    expect(cssUrls('@import url(a.css);\n@import "b.css";\nx{src:url( \'f.woff2\' ) format("woff2")}').sort()).toEqual(['a.css', 'b.css', 'f.woff2']);
  });
});
