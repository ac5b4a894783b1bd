import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, startServer, type RunningServer, type ServeContext } from '../../src/serve/index.js';
import { startTestWeb } from '../../src/testweb/index.js';
import { CHROMIUM, missingTool } from '../report/tools.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const missing = missingTool(CHROMIUM, 'chromium');
const SHOTS = join(process.cwd(), 'test-output', 'screenshots', 'ui');
const HOSTILE = '<img src=x onerror=alert(1)>';
const ADDED = 'A new ferry sails on Sundays.';

/**
 * A tiny site we control, so a page can change between two collects: /harbour gains a sentence
 * in the second version, /hostile has a title made to run script if anything forgot to escape it.
 */
function tinySite(): { server: Server; version: { n: number } } {
  const version = { n: 1 };
  const page = (title: string, body: string): string => `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;
  const server = createServer((req, res) => {
    const send = (status: number, html: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    };
    if (req.url === '/') return send(200, page('Tiny harbour town', '<h1>Harbour town</h1><p>Welcome to the harbour town guide.</p><a href="/harbour">harbour</a> <a href="/hostile">hostile</a>'));
    if (req.url === '/harbour')
      return send(200, page('Harbour timetable', `<h1>Harbour timetable</h1><p>The harbour opens at nine and closes at dusk.</p>${version.n > 1 ? `<p>${ADDED}</p>` : ''}<p>Fishing boats leave before dawn.</p><a href="/">home</a>`));
    if (req.url === '/hostile') return send(200, page(HOSTILE, `<h1>${HOSTILE}</h1><p>Quokkas are marsupials.</p><a href="/">home</a>`));
    send(404, page('not found', '<p>nothing</p>'));
  });
  return { server, version };
}

describe.skipIf(missing !== null)('web UI in headless Chromium', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let server: RunningServer;
  let ctx: ServeContext;
  let browser: Browser;
  let tiny: string;

  beforeAll(async () => {
    tmp = await tempDir('jarvix-ui-browser-');
    const site = tinySite();
    await new Promise<void>((r) => site.server.listen(0, '127.0.0.1', r));
    tiny = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}/`;
    const web = await startTestWeb({ seed: 21, hosts: 2, pagesPerHost: 5, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0 });
    try {
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, [tiny, ...web.seedUrls(2)].join('\n'));
      const common = ['--data', tmp.dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '0', '--progress', 'none', '--follow', '--depth', '1', '--scope', 'host'];
      const r1 = await runCli(['collect', '--run', 'r1', ...common]);
      expect([0, 3], r1.stderr).toContain(r1.code);
      site.version.n = 2; // the harbour page gains a sentence
      const tinyOnly = join(tmp.dir, 'tiny.txt');
      await writeFile(tinyOnly, `${tiny}\n`);
      const r2 = await runCli(['collect', '--run', 'r2', ...common.map((a) => (a === input ? tinyOnly : a))]);
      expect([0, 3], r2.stderr).toContain(r2.code);
    } finally {
      await web.close();
      await new Promise<void>((r) => site.server.close(() => r()));
    }
    ctx = (await openArchive({ dataDir: tmp.dir, runs: ['r1', 'r2'], warcs: [], wacz: [] })).context;
    server = await startServer(ctx, { port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    await mkdir(SHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    ctx?.index.close();
    await tmp?.cleanup();
  });

  /** A page whose every request is counted; any request leaving the jarvix server is refused and recorded, as is any dialog. */
  async function guarded(width = 1280): Promise<{ page: Page; requests: string[]; leaks: string[]; dialogs: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    const leaks: string[] = [];
    const dialogs: string[] = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      requests.push(u);
      if (u.startsWith(`${server.url}/`)) return route.continue();
      leaks.push(u);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return { page, requests, leaks, dialogs };
  }

  const harbour = (): string => `${tiny}harbour`;
  const views = (): { name: string; path: string; expect: string }[] => [
    { name: 'runs', path: '/', expect: 'r2' },
    { name: 'overview', path: '/runs/r1', expect: '127.0.0.1' },
    { name: 'search', path: '/runs/r1/search?q=harbour', expect: 'Harbour timetable' },
    { name: 'urls', path: '/runs/r1/urls', expect: harbour() },
    { name: 'page', path: `/runs/r2/page?url=${encodeURIComponent(harbour())}`, expect: 'Harbour timetable' },
    { name: 'diff', path: `/runs/r2/diff?url=${encodeURIComponent(harbour())}`, expect: ADDED },
    { name: 'links', path: `/runs/r1/links?url=${encodeURIComponent(tiny)}`, expect: harbour() },
    { name: 'links-host', path: '/runs/r1/links?host=127.0.0.1', expect: 'Inbound' },
  ];

  it('renders every view with the run data, screenshots at 360 and 1920 px, nothing leaves the server', async () => {
    for (const width of [360, 1920]) {
      const { page, requests, leaks, dialogs } = await guarded(width);
      for (const v of views()) {
        const res = await page.goto(`${server.url}${v.path}`, { waitUntil: 'load' });
        expect(res?.status(), v.path).toBe(200);
        expect(res?.headers()['content-security-policy'], v.path).toContain("script-src 'self'");
        await expect(page.locator('main').innerText(), v.path).resolves.toContain(v.expect);
        await expect(page.locator('header input[type=search][name=q]').count(), v.path).resolves.toBe(1);
        await expect(page.locator('header a[href="/"]').count(), v.path).resolves.toBe(1);
        expect(await page.title(), v.path).toMatch(/· jarvix$/);
        // Readable at this width: the document does not scroll sideways.
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow, `${v.path} at ${width}px`).toBeLessThanOrEqual(1);
        await page.screenshot({ path: join(SHOTS, `${v.name}-${width}.png`), fullPage: width === 360 ? false : true });
      }
      expect(leaks).toEqual([]);
      expect(requests.length).toBeGreaterThan(views().length);
      expect(requests.filter((u) => !u.startsWith(`${server.url}/`))).toEqual([]);
      expect(dialogs).toEqual([]);
      await page.context().close();
    }
  });

  it('the header search finds a page, its page view opens the newest capture in the replay frame', async () => {
    const { page, leaks } = await guarded();
    await page.goto(`${server.url}/runs/r2`);
    await page.fill('header input[name=q]', 'ferry');
    await Promise.all([page.waitForURL(/\/runs\/r2\/search\?q=ferry/), page.press('header input[name=q]', 'Enter')]);
    const hit = page.locator('ol.results a', { hasText: 'Harbour timetable' }).first();
    await Promise.all([page.waitForURL(/\/runs\/r2\/page\?/), hit.click()]);
    const caps = [...ctx.index.query(harbour())];
    expect(caps.length).toBe(2);
    const newest = caps.at(-1)!.timestamp;
    await expect(page.locator('ol.timeline a[aria-current]').getAttribute('href')).resolves.toContain(`ts=${newest}`);
    const frame = page.frameLocator('iframe.replay');
    await expect(frame.locator('body').innerText()).resolves.toContain(ADDED);
    expect(await page.locator('iframe.replay').getAttribute('src')).toBe(`/web/${newest}/${harbour()}`);
    // The older capture from the timeline: without the sentence.
    await Promise.all([page.waitForURL(new RegExp(`ts=${caps[0]!.timestamp}`)), page.locator('ol.timeline a').first().click()]);
    await expect(page.frameLocator('iframe.replay').locator('body').innerText()).resolves.not.toContain(ADDED);
    expect(leaks).toEqual([]);
    await page.context().close();
  });

  it('the diff view marks the added sentence as inserted', async () => {
    const { page } = await guarded();
    await page.goto(`${server.url}/runs/r2/diff?url=${encodeURIComponent(harbour())}`);
    await expect(page.locator('.diff ins').allInnerTexts()).resolves.toContain(ADDED);
    await expect(page.locator('.frames iframe').count()).resolves.toBe(2);
    await page.context().close();
  });

  it('a hostile title stays inert text in every view, and no dialog fires', async () => {
    const hostile = `${tiny}hostile`;
    const { page, dialogs } = await guarded();
    for (const path of ['/runs/r1/search?q=quokkas', '/runs/r1/urls?text=hostile', `/runs/r1/page?url=${encodeURIComponent(hostile)}`, `/runs/r1/links?url=${encodeURIComponent(tiny)}`, `/runs/r1/diff?url=${encodeURIComponent(hostile)}`]) {
      await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
      await expect(page.locator('main img').count(), path).resolves.toBe(0);
      if (!path.includes('links')) await expect(page.locator('main').innerText(), path).resolves.toContain(path.includes('diff') ? 'Diff of' : HOSTILE);
    }
    await page.goto(`${server.url}/runs/r1/page?url=${encodeURIComponent(hostile)}`);
    expect(await page.title()).toContain(HOSTILE);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('Tab reaches every link, field and button of each view', async () => {
    const { page } = await guarded();
    for (const v of views()) {
      await page.goto(`${server.url}${v.path}`);
      const controls = await page.locator('a[href], input, select, button, iframe').count();
      const reached = new Set<string>();
      for (let i = 0; i < controls + 40; i++) {
        await page.keyboard.press('Tab');
        // Which control has the focus (the browser's own globals: this runs in the page).
        const id = await page.evaluate<string | null>(`(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          return String([...document.querySelectorAll('a[href], input, select, button, iframe')].indexOf(el));
        })()`);
        if (id !== null) reached.add(id);
      }
      expect(reached.size, v.path).toBe(controls);
    }
    await page.context().close();
  });

  it('a running run\'s overview updates its counts without a reload', async () => {
    const manifest = join(tmp.dir, 'runs', 'r2', 'run.json');
    const original = await readFile(manifest, 'utf8');
    const m = JSON.parse(original) as { status: string; counts: Record<string, number>; sessions: { finishedAt: string | null; pid: number }[] };
    // As a collect in progress leaves it: state running, an open session whose process is alive (ours).
    m.status = 'running';
    m.sessions.at(-1)!.finishedAt = null;
    m.sessions.at(-1)!.pid = process.pid;
    await writeFile(manifest, JSON.stringify(m));
    const { page } = await guarded();
    try {
      await page.goto(`${server.url}/runs/r2`);
      await expect(page.locator('[data-state]').innerText()).resolves.toBe('running');
      let navigations = 0;
      page.on('framenavigated', (f) => (f === page.mainFrame() ? navigations++ : 0));
      m.counts.fetched = 987654;
      await writeFile(manifest, JSON.stringify(m));
      await page.waitForSelector('[data-count="fetched"]:has-text("987,654")', { timeout: 30_000 });
      expect(navigations).toBe(0);
    } finally {
      await writeFile(manifest, original);
      await page.context().close();
    }
  });

  it('answers bad parameters with a coded 400 page, and serves the search and graph JSON', async () => {
    const bad = await fetch(`${server.url}/runs/r1/urls?status=abc`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('JVX_ERR_UI_BAD_PARAM');
    expect((await fetch(`${server.url}/runs/nope`)).status).toBe(404);
    const s = (await (await fetch(`${server.url}/search?q=ferry`)).json()) as { results: { url: string }[] };
    expect(s.results.map((r) => r.url)).toContain(harbour());
    const g = await fetch(`${server.url}/graph/neighbours?run=elsewhere&node=x`);
    expect(g.status).toBe(404);
  });
});
