/**
 * Every error jarvix throws on purpose is a JarvixError with a stable `code`
 * (`JVX_ERR_<AREA>_<WHAT>`). Callers and tests branch on the code, never the message.
 * Subclasses carry context fields (url, status, offset) and may mark themselves
 * non-retryable, which the fetch retry policy reads.
 */
export class JarvixError extends Error {
  readonly code: string;
  /** Whether retrying the same operation could succeed. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** A bad option, argument or input value: names the option, what was expected and what was given. */
export class InvalidOptionError extends JarvixError {
  readonly option: string;
  constructor(option: string, expected: string, given: unknown) {
    super('JVX_ERR_OPTION_INVALID', `option ${option}: expected ${expected}, got ${describe(given)}`);
    this.option = option;
  }
}

export class UnknownOptionError extends JarvixError {
  readonly option: string;
  constructor(option: string, known: readonly string[]) {
    super('JVX_ERR_OPTION_UNKNOWN', `unknown option ${option} (known: ${known.join(', ')})`);
    this.option = option;
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}

/** The code of any error: a JarvixError's code, a Node system error's code, or a fallback. */
export function errorCode(err: unknown, fallback = 'JVX_ERR_UNKNOWN'): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return fallback;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
