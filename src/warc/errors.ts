import { JarvixError } from '../errors/index.js';

/** Base of every WARC error: carries the file and byte offset it happened at, when known. */
export class WarcError extends JarvixError {
  readonly file: string | undefined;
  readonly offset: number | undefined;
  constructor(code: string, message: string, context: { file?: string; offset?: number; cause?: unknown } = {}) {
    const where = context.file === undefined ? '' : ` (${context.file}${context.offset === undefined ? '' : `:${context.offset}`})`;
    super(code, `${message}${where}`, { cause: context.cause });
    this.file = context.file;
    this.offset = context.offset;
  }
}

/** No WARC record where one was expected (not a WARC file, or a wrong offset). */
export class WarcFormatError extends WarcError {
  constructor(message: string, context: { file?: string; offset?: number; cause?: unknown } = {}) {
    super('JVX_ERR_WARC_FORMAT', message, context);
  }
}

/** The writer was closed, or a previous write failed and left it unusable. */
export class WarcWriterClosedError extends WarcError {
  constructor(message: string, context: { file?: string; cause?: unknown } = {}) {
    super('JVX_ERR_WARC_WRITER_CLOSED', message, context);
  }
}

/** A record could not be written (I/O failure mid-record); the file keeps only whole records up to `offset`. */
export class WarcWriteError extends WarcError {
  constructor(message: string, context: { file?: string; offset?: number; cause?: unknown } = {}) {
    super('JVX_ERR_WARC_WRITE', message, context);
  }
}

/** A lookup found nothing for the URL. */
export class WarcNotFoundError extends WarcError {
  readonly url: string;
  constructor(url: string) {
    super('JVX_ERR_WARC_NOT_FOUND', `no archived record for ${url}`);
    this.url = url;
  }
}

/** `warc get|index --run ID` named a run that has no folder (rather than "no archived record"). */
export class WarcRunNotFoundError extends WarcError {
  readonly runDir: string;
  constructor(run: string, runDir: string) {
    super('JVX_ERR_WARC_RUN_NOT_FOUND', `no such run ${run}: no folder ${runDir}`);
    this.runDir = runDir;
  }
}
