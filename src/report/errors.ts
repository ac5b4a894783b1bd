import { JarvixError } from '../errors/index.js';

export type ReportErrorCode =
  | 'JVX_ERR_REPORT_RUN_NOT_FOUND'
  | 'JVX_ERR_REPORT_BROWSER_MISSING'
  | 'JVX_ERR_REPORT_BROWSER_FAILED'
  | 'JVX_ERR_REPORT_PDF_FAILED'
  | 'JVX_ERR_REPORT_PRINTER_CLOSED';

/** Base of every error `jarvix report` throws on purpose; branch on `code`. */
export class ReportError extends JarvixError {
  declare readonly code: ReportErrorCode;
  constructor(code: ReportErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

export class ReportRunNotFoundError extends ReportError {
  readonly run: string;
  readonly runDir: string;
  constructor(run: string, runDir: string) {
    super('JVX_ERR_REPORT_RUN_NOT_FOUND', `run ${run} not found: no folder ${runDir}`);
    this.run = run;
    this.runDir = runDir;
  }
}

/** No Chromium binary where we look: the fix is a package install, so the message names it. */
export class ReportBrowserMissingError extends ReportError {
  readonly executablePath: string;
  readonly packageName = 'chromium';
  constructor(executablePath: string) {
    super('JVX_ERR_REPORT_BROWSER_MISSING', `no Chromium at ${executablePath}: install the Debian package "chromium" (apt-get install -y chromium) or pass another executable path`);
    this.executablePath = executablePath;
  }
}

export class ReportBrowserFailedError extends ReportError {
  readonly executablePath: string;
  constructor(executablePath: string, cause: unknown) {
    super('JVX_ERR_REPORT_BROWSER_FAILED', `cannot start Chromium ${executablePath}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.executablePath = executablePath;
  }
}

export class ReportPdfError extends ReportError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super('JVX_ERR_REPORT_PDF_FAILED', `cannot print ${path}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.path = path;
  }
}

export class ReportPrinterClosedError extends ReportError {
  constructor() {
    super('JVX_ERR_REPORT_PRINTER_CLOSED', 'the PDF printer is closed');
  }
}
