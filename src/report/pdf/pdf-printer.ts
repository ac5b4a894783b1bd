import { access, constants } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ReportBrowserFailedError, ReportBrowserMissingError, ReportPdfError, ReportPrinterClosedError } from '../errors.js';
import { writeFileDurable } from '../../fs/index.js';
import { CHROMIUM_ARGS, resolvePdfOptions, type PdfPrinterOptions } from './options.js';
import { footerTemplate, headerTemplate } from './templates.js';

export interface PdfPrinterStats {
  /** Always 1: a batch shares one browser (the JARVIX seed launched ten for one PDF). */
  readonly browserLaunches: number;
  /** Browser pages ever opened; at most `concurrency` unless one failed and was replaced. */
  readonly pagesOpened: number;
  readonly printed: number;
  /** Requests the report tried to make while printing, all aborted (a report makes none). */
  readonly blockedRequests: number;
}

export interface PrintResult {
  readonly path: string;
  readonly bytes: number;
}

/**
 * One headless Chromium and a bounded pool of its pages, printing HTML to PDF. JavaScript is off and
 * every request is aborted: the report is set as the page's content, so nothing needs the network,
 * and a hostile string that slipped through could neither run nor call out. Pages are reused across
 * prints; one that failed is closed and replaced.
 */
export class PdfPrinter {
  readonly options: PdfPrinterOptions;
  readonly #browser: Browser;
  readonly #context: BrowserContext;
  readonly #idle: Page[] = [];
  readonly #waiters: { resolve: (p: Page) => void; reject: (err: unknown) => void }[] = [];
  #open = 0;
  #closed = false;
  #pagesOpened = 0;
  #printed = 0;
  #blocked = 0;

  private constructor(options: PdfPrinterOptions, browser: Browser, context: BrowserContext) {
    this.options = options;
    this.#browser = browser;
    this.#context = context;
  }

  static async launch(options?: Partial<PdfPrinterOptions>): Promise<PdfPrinter> {
    const o = resolvePdfOptions(options);
    try {
      await access(o.executablePath, constants.X_OK);
    } catch {
      throw new ReportBrowserMissingError(o.executablePath);
    }
    const { chromium } = await import('playwright-core');
    let browser: Browser;
    try {
      browser = await chromium.launch({ executablePath: o.executablePath, args: CHROMIUM_ARGS, timeout: o.timeoutMs });
    } catch (err) {
      throw new ReportBrowserFailedError(o.executablePath, err);
    }
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block', acceptDownloads: false });
      const printer = new PdfPrinter(o, browser, context);
      await context.route('**/*', (route) => {
        printer.#blocked++;
        return route.abort('blockedbyclient');
      });
      return printer;
    } catch (err) {
      await browser.close().catch(() => {});
      throw new ReportBrowserFailedError(o.executablePath, err);
    }
  }

  get stats(): PdfPrinterStats {
    return { browserLaunches: 1, pagesOpened: this.#pagesOpened, printed: this.#printed, blockedRequests: this.#blocked };
  }

  /** Prints one report; waits for a free page when `concurrency` prints are under way. */
  async print(html: string, outPath: string, run: string): Promise<PrintResult> {
    const page = await this.#acquire();
    let healthy = false;
    try {
      await page.setContent(html, { waitUntil: 'load', timeout: this.options.timeoutMs });
      const pdf = await page.pdf({
        format: this.options.format,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: headerTemplate(run),
        footerTemplate: footerTemplate(run),
        margin: { top: '16mm', bottom: '16mm', left: '12mm', right: '12mm' },
      });
      // Free the page's memory before it waits in the pool: the next report replaces it anyway.
      await page.setContent('<!DOCTYPE html><title></title>', { timeout: this.options.timeoutMs });
      await writeFileDurable(outPath, pdf);
      healthy = true;
      this.#printed++;
      return { path: outPath, bytes: pdf.length };
    } catch (err) {
      if (err instanceof ReportPrinterClosedError) throw err;
      throw new ReportPdfError(outPath, err);
    } finally {
      this.#release(page, healthy);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(new ReportPrinterClosedError());
    this.#idle.length = 0;
    await this.#browser.close().catch(() => {});
  }

  async #acquire(): Promise<Page> {
    if (this.#closed) throw new ReportPrinterClosedError();
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#open < this.options.concurrency) return this.#newPage();
    return new Promise<Page>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async #newPage(): Promise<Page> {
    this.#open++;
    try {
      const page = await this.#context.newPage();
      page.setDefaultTimeout(this.options.timeoutMs);
      this.#pagesOpened++;
      return page;
    } catch (err) {
      this.#open--;
      if (this.#closed) throw new ReportPrinterClosedError();
      throw err;
    }
  }

  #release(page: Page, healthy: boolean): void {
    if (this.#closed) return;
    if (!healthy) {
      this.#open--;
      void page.close().catch(() => {});
      const waiter = this.#waiters.shift();
      if (waiter) this.#newPage().then(waiter.resolve, waiter.reject);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(page);
    else this.#idle.push(page);
  }
}
