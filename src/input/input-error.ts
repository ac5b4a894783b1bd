import { JarvixError } from '../errors/index.js';

/** The URL list itself cannot be read (a bad line is not an error: it is an InputProblem). */
export class InputError extends JarvixError {
  readonly path: string;
  constructor(code: 'JVX_ERR_INPUT_NOT_FOUND' | 'JVX_ERR_INPUT_UNREADABLE', message: string, path: string, cause?: unknown) {
    super(code, message, { cause });
    this.path = path;
  }
}
