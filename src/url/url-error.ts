import { JarvixError } from '../errors/index.js';

/** A URL that cannot be crawled: unparsable (JVX_ERR_URL_INVALID) or not http(s) (JVX_ERR_URL_SCHEME). */
export class UrlError extends JarvixError {
  /** The raw text as given, so a report can show what was wrong. */
  readonly input: string;
  constructor(code: 'JVX_ERR_URL_INVALID' | 'JVX_ERR_URL_SCHEME', message: string, input: string) {
    super(code, message);
    this.input = input;
  }
}
