import { JarvixError } from '../errors/index.js';

/** Base of every replay error; `status` is the HTTP status the server answers with. */
export class ReplayError extends JarvixError {
  readonly status: number;
  constructor(code: string, status: number, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.status = status;
  }
}

/** A timestamp in a replay or API URL that is not 1 to 14 digits of a real date. */
export class BadTimestampError extends ReplayError {
  constructor(given: string) {
    super('JVX_ERR_REPLAY_BAD_TIMESTAMP', 400, `malformed timestamp ${JSON.stringify(given)}: expected 1 to 14 digits (yyyyMMddhhmmss, a prefix of it)`);
  }
}

/** A URL argument that is not an http(s) URL. */
export class BadUrlError extends ReplayError {
  constructor(given: string) {
    super('JVX_ERR_REPLAY_BAD_URL', 400, `not an http(s) URL: ${JSON.stringify(given.slice(0, 200))}`);
  }
}

/** A query parameter out of its allowed set or range. */
export class BadParameterError extends ReplayError {
  constructor(name: string, expected: string, given: string) {
    super('JVX_ERR_REPLAY_BAD_PARAM', 400, `parameter ${name}: expected ${expected}, got ${JSON.stringify(given.slice(0, 200))}`);
  }
}

/** The index has no capture of this URL. */
export class NotCapturedError extends ReplayError {
  readonly url: string;
  constructor(url: string) {
    super('JVX_ERR_REPLAY_NOT_CAPTURED', 404, `${url} was never captured in the archives served here`);
    this.url = url;
  }
}

/** The record behind a capture cannot be read whole (truncated or damaged WARC, file gone). */
export class RecordUnreadableError extends ReplayError {
  constructor(file: string, offset: number, why: string, cause?: unknown) {
    super('JVX_ERR_REPLAY_RECORD_UNREADABLE', 502, `the archived record at ${file}:${offset} cannot be read: ${why}`, { cause });
  }
}

/** A revisit record whose original payload is in none of the archives served. */
export class RevisitUnresolvedError extends ReplayError {
  constructor(url: string, digest: string) {
    super('JVX_ERR_REPLAY_REVISIT_UNRESOLVED', 502, `revisit of ${url} points at payload sha1:${digest}, which no served archive holds`);
  }
}

/** A source given to the index (run, WARC path) that does not exist or may not be read. */
export class SourceError extends ReplayError {
  readonly source: string;
  constructor(source: string, why: string) {
    super('JVX_ERR_REPLAY_SOURCE', 400, `archive source ${source}: ${why}`);
    this.source = source;
  }
}
