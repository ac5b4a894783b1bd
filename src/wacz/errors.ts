import { JarvixError } from '../errors/index.js';

/** Base of every WACZ error: names the package (and the entry inside it, when known). */
export class WaczError extends JarvixError {
  readonly file: string | undefined;
  readonly entry: string | undefined;
  constructor(code: string, message: string, context: { file?: string; entry?: string; cause?: unknown } = {}) {
    const where = context.file === undefined ? '' : ` (${context.file}${context.entry === undefined ? '' : `: ${context.entry}`})`;
    super(code, `${message}${where}`, { cause: context.cause });
    this.file = context.file;
    this.entry = context.entry;
  }
}

/** Not a ZIP file, or its end-of-central-directory / central directory cannot be read. */
export class ZipFormatError extends WaczError {
  constructor(message: string, context: { file?: string; entry?: string } = {}) {
    super('JVX_ERR_WACZ_ZIP', message, context);
  }
}

/** An entry's source gave more or fewer bytes than announced (a file that changed while being packed). */
export class ZipSizeMismatchError extends WaczError {
  constructor(entry: string, expected: number, got: number) {
    super('JVX_ERR_WACZ_SIZE_CHANGED', `entry ${entry}: expected ${expected} bytes, the source gave ${got} (did the file change while exporting?)`, { entry });
  }
}

/** The run has nothing to export (no WARC file). */
export class WaczEmptyRunError extends WaczError {
  constructor(runDir: string) {
    super('JVX_ERR_WACZ_EMPTY_RUN', `no WARC file to export in ${runDir}/warc`);
  }
}
