import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, startServer, type RunningServer, type ServeContext } from '../../src/serve/index.js';
import { startTestWeb } from '../../src/testweb/index.js';
import { CHROMIUM, missingTool } from '../report/tools.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeShopWarc } from './fixtures.js';

const missing = missingTool(CHROMIUM, 'chromium');
const SHOTS = join(process.cwd(), 'test-output', 'screenshots');

describe.skipIf(missing !== null)('replay in headless Chromium: nothing leaves the archive server', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let server: RunningServer;
  let ctx: ServeContext;
  let browser: Browser;
  let seeds: string[];

  beforeAll(async () => {
    tmp = await tempDir('jarvix-replay-browser-');
    const web = await startTestWeb({ seed: 13, hosts: 2, pagesPerHost: 6, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0 });
    try {
      seeds = web.seedUrls(2);
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, seeds.join('\n'));
      const common = ['--data', tmp.dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '0', '--progress', 'none'];
      // A second run over the same seeds: a second capture of each home page, served together.
      const [r1, r2] = await Promise.all([runCli(['collect', '--run', 'r1', '--follow', '--depth', '1', '--scope', 'host', ...common]), runCli(['collect', '--run', 'r2', ...common])]);
      expect([0, 3], r1.stderr).toContain(r1.code);
      expect([0, 3], r2.stderr).toContain(r2.code);
    } finally {
      await web.close(); // from here on, any request to the synthetic web would fail
    }
    await writeShopWarc(join(tmp.dir, 'shop.warc'));
    ctx = (await openArchive({ dataDir: tmp.dir, runs: ['r1', 'r2'], warcs: [join(tmp.dir, 'shop.warc')], wacz: [] })).context;
    server = await startServer(ctx, { port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    await mkdir(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    ctx?.index.close();
    await tmp?.cleanup();
  });

  /** A page whose every request is recorded, and refused unless it goes to the archive server. */
  async function guardedPage(): Promise<{ page: import('playwright-core').Page; requests: string[]; leaks: string[] }> {
    const context = await browser.newContext();
    const requests: string[] = [];
    const leaks: string[] = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(`${server.url}/`)) return route.continue();
      leaks.push(u);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    return { page, requests, leaks };
  }

  it('replays a collected page with its text, and a clicked link lands on the archived capture of its target', async () => {
    const home = seeds[0]!;
    const caps = [...ctx.index.query(home)];
    expect(caps.map((c) => c.source).sort()).toEqual(['run:r1', 'run:r2']);
    const first = caps[0]!;
    const archived = await (await fetch(`${server.url}/web/${first.timestamp}id_/${first.url}`)).text();
    const title = /<title>([^<]*)<\/title>/.exec(archived)![1]!;
    const { page, requests, leaks } = await guardedPage();
    await page.goto(`${server.url}/web/${first.timestamp}/${home}`);
    expect(await page.title()).toBe(title.replace(/&amp;/g, '&'));
    await expect(page.locator('#jarvix-banner').innerText()).resolves.toContain('captured');
    await page.screenshot({ path: join(SHOTS, 'replay-collected-home.png') });
    // The first link on the page to another archived page of the run.
    const hrefs = await page.$$eval('a[href^="/web/"]', (as) => as.map((a) => a.getAttribute('href')!));
    const target = hrefs.find((h) => {
      const url = h.replace(/^\/web\/\d+\//, '');
      return url !== home && !h.includes('/timeline/') && ctx.index.query(url).next().done === false;
    });
    expect(target, hrefs.join('\n')).toBeDefined();
    const targetUrl = target!.replace(/^\/web\/\d+\//, '');
    await Promise.all([page.waitForURL((u) => u.pathname.includes(new URL(targetUrl).pathname) && /\/web\/\d{14}\//.test(u.pathname)), page.click(`a[href="${target}"] >> nth=0`)]);
    const landed = new URL(page.url());
    const ts = /^\/web\/(\d{14})\//.exec(landed.pathname)![1]!;
    expect([...ctx.index.query(targetUrl)].map((c) => c.timestamp)).toContain(ts);
    const targetArchived = await (await fetch(`${server.url}/web/${ts}id_/${targetUrl}`)).text();
    expect(await page.title()).toBe(/<title>([^<]*)<\/title>/.exec(targetArchived)![1]!.replace(/&amp;/g, '&'));
    await page.screenshot({ path: join(SHOTS, 'replay-collected-link-target.png') });
    expect(leaks).toEqual([]);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.filter((u) => !u.startsWith(`${server.url}/`))).toEqual([]);
    await page.context().close();
  });

  it('loads the images and CSS of a replayed page from the archive', async () => {
    const { page, requests, leaks } = await guardedPage();
    await page.goto(`${server.url}/web/20240102030405/http://shop.example/`, { waitUntil: 'load' });
    await expect(page.locator('h1').innerText()).resolves.toBe('Welcome to the archived shop');
    expect(await page.$eval('#logo', (img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(4);
    expect(await page.$eval('h1', (h) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(h).color)).toBe('rgb(255, 0, 0)');
    expect(requests.some((u) => u.includes('cs_/http://shop.example/style.css'))).toBe(true);
    expect(requests.some((u) => u.includes('im_/http://shop.example/logo.png'))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'replay-shop-with-requisites.png') });
    // Following the link replays the archived target (the nearest capture, after a redirect).
    await Promise.all([page.waitForURL(/\/web\/20240102030406\/http:\/\/shop\.example\/about$/), page.click('#about')]);
    await expect(page.locator('h1').innerText()).resolves.toBe('About the archived shop');
    await page.screenshot({ path: join(SHOTS, 'replay-shop-about.png') });
    expect(leaks).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(`${server.url}/`))).toEqual([]);
    await page.context().close();
  });
});
