import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../../src/report/pdf/options.js';
import { generateReports } from '../../src/report/index.js';
import { tempDir } from '../helpers/tmp.js';
import { HOSTILE_TITLE, writeNormalRun } from './fixtures.js';
import { CHROMIUM, missingTool } from './tools.js';

const missing = missingTool(CHROMIUM, 'chromium');

describe.skipIf(missing !== null)('HTML report in Chromium with JavaScript on', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let browser: Browser;
  let htmlPath: string;

  beforeAll(async () => {
    tmp = await tempDir('jarvix-report-browser-');
    await writeNormalRun(tmp.dir, 'h1');
    const { reports } = await generateReports({ dataDir: tmp.dir, runs: ['h1'], topN: 100 });
    htmlPath = reports[0]!.html;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await tmp?.cleanup();
  });

  it('runs nothing, requests nothing, logs no error, and shows the hostile title as literal text', async () => {
    const context = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 390, height: 844 } });
    const fileUrl = pathToFileURL(htmlPath).href;
    const requests: string[] = [];
    const problems: string[] = [];
    // Only the report itself may load; anything else is recorded and refused (tests stay off the network).
    await context.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(fileUrl, { waitUntil: 'load' });

    expect(requests).toEqual([fileUrl]);
    expect(problems).toEqual([]);
    // A string, not a function: the test project has no DOM types, and this runs in the page.
    const found = await page.evaluate(`(() => {
      const title = ${JSON.stringify(HOSTILE_TITLE)};
      return {
        cells: [...document.querySelectorAll('#top td')].filter((td) => td.textContent === title).length,
        scripts: document.scripts.length,
        images: document.images.length,
        docTitle: document.title,
        // Readable on a phone: nothing pushes the page wider than the screen (wide tables scroll in their box).
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      };
    })()`);
    expect(found).toEqual({ cells: 1, scripts: 0, images: 0, docTitle: 'jarvix report: h1', overflow: 0 });
    const text = await page.locator('#top').innerText();
    expect(text).toContain(HOSTILE_TITLE);
    await context.close();
  });

  it('the same markup with the escaping undone would have run (the check above can fail)', async () => {
    const html = (await readFile(htmlPath, 'utf8')).replace('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    const context = await browser.newContext({ javaScriptEnabled: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent(html, { waitUntil: 'load' });
    expect(dialogs).toEqual(['1']);
    await context.close();
  });
});
