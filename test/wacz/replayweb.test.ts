import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../../src/report/pdf/options.js';
import { exportWacz } from '../../src/wacz/index.js';
import { CHROMIUM, missingTool } from '../report/tools.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';
import { tempDir } from '../helpers/tmp.js';
import { collectRun } from './collected-run.js';

const missing = missingTool(CHROMIUM, 'chromium');
const SCREENSHOTS = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'test-output', 'screenshots');
// The package's exports hide package.json; its static files sit beside the ui.js it exports.
const rwpRoot = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'node_modules', 'replaywebpage');

/** The frame ReplayWeb.page replays `url` in (its URL ends with `mp_/<url>`), once it has shown `text`. */
async function replayFrame(frames: () => Frame[], url: string, text: string, timeoutMs: number): Promise<Frame> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const f of frames()) {
      if (!f.url().endsWith(`mp_/${url}`)) continue;
      const body = await f.locator('body').innerText({ timeout: 1000 }).catch(() => '');
      if (body.includes(text)) return f;
    }
    if (Date.now() > until) throw new Error(`ReplayWeb.page did not show "${text}" for ${url}; frames: ${frames().map((f) => f.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(missing)('a WACZ written by jarvix opens in ReplayWeb.page (its own static files, headless Chromium)', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let browser: Browser | undefined;
  let app: StaticServer | undefined;
  let files: StaticServer | undefined;
  let truth: { urls: string[]; describe: (url: string) => { title: string | null; kind: string; status: number | null } };

  beforeAll(async () => {
    tmp = await tempDir();
    // Page requisites on: replay must show the page's stylesheet and images from the archive too.
    truth = (await collectRun(tmp.dir, 'rwp', 9, { pageRequisites: true }, () => [], { requisites: true })) as unknown as typeof truth;
    await exportWacz({ dataDir: tmp.dir, runId: 'rwp', out: join(tmp.dir, 'plain.wacz') });
    await exportWacz({ dataDir: tmp.dir, runId: 'rwp', out: join(tmp.dir, 'zipnum.wacz'), zipNumMinLines: 2, zipNumBlockLines: 3 });
    // The app and the packages on two origins: the WACZ is range-read across origins (CORS).
    app = await startStaticServer(rwpRoot);
    files = await startStaticServer(null, { '/plain.wacz': join(tmp.dir, 'plain.wacz'), '/zipnum.wacz': join(tmp.dir, 'zipnum.wacz') });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await files?.close();
    await tmp?.cleanup();
  });

  for (const name of ['plain', 'zipnum']) {
    it(`shows an archived page's text from ${name}.wacz, reading the package by range`, async () => {
      const url = truth.urls.find((u) => {
        const t = truth.describe(u);
        return t.kind === 'page' && t.status === 200 && t.title !== null && !u.endsWith('/');
      })!;
      const title = truth.describe(url).title!;
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        const source = `${files!.origin}/${name}.wacz`;
        // ReplayWeb.page takes the package from ?source= and the page to open from the hash.
        await page.goto(`${app!.origin}/?source=${encodeURIComponent(source)}#view=replay&url=${encodeURIComponent(url)}`);
        const frame = await replayFrame(() => page.frames(), url, title, 90_000);
        expect(await frame.locator('title').textContent()).toBe(title);
        // The image (and its srcset), the stylesheet and the stylesheet's @import came from the WACZ.
        // (Expressions as strings: the test code is type-checked without the DOM library.)
        await frame.waitForFunction("(() => { const img = document.querySelector('.hero img'); return !!img && img.complete && img.naturalWidth > 0; })()", undefined, { timeout: 30_000 });
        // The @imported stylesheet may apply after the image has loaded: wait for it, then check.
        await frame.waitForFunction("getComputedStyle(document.body).color === 'rgb(34, 34, 34)'", undefined, { timeout: 30_000 }).catch(() => {});
        expect(await frame.evaluate('getComputedStyle(document.body).color')).toBe('rgb(34, 34, 34)');
        await page.screenshot({ path: join(SCREENSHOTS, `replaywebpage-${name}.png`) });
        // The package was read in ranges, not downloaded whole.
        const ranged = files!.requests.filter((r) => r.startsWith(`GET /${name}.wacz bytes=`));
        expect(ranged.length).toBeGreaterThan(0);
      } finally {
        await context.close();
      }
    }, 150_000);
  }
});
