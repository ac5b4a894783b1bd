import { errorCode, errorMessage } from '../errors/index.js';
import type { FetchError, Truncation } from './types.js';

/** Our own abort reasons, passed to undici's controller.abort() and recognised on the way back. */
export class BodyCapReached extends Error {
  readonly code = 'JVX_ERR_FETCH_BODY_CAP';
}
export class TotalTimeout extends Error {
  readonly code = 'JVX_ERR_FETCH_TIMEOUT_TOTAL';
}

export function fetchError(code: string, message: string, retryable: boolean, extra: Partial<FetchError> = {}): FetchError {
  return { code, message, retryable, ...extra };
}

/** Our own refusal of a URL (policy gate, SSRF guard, robots.txt), possibly on a redirect hop. */
export function isPolicyRefusal(error: FetchError): boolean {
  return error.code === 'JVX_ERR_FETCH_REDIRECT_REFUSED' || error.code.startsWith('JVX_ERR_POLICY_') || error.code === 'JVX_ERR_ROBOTS_DISALLOWED';
}

/**
 * Maps a transport failure (undici, Node, our connector) to a stable code, and says what the
 * failure means for a body already being received. Undici and Node codes never leak out: callers
 * and datasets only ever see `JVX_ERR_*`.
 */
export function classifyTransportError(err: unknown, url: string): { error: FetchError; truncated: Truncation } {
  const code = errorCode(err, '');
  const detail = `${url}: ${errorMessage(err)}${code ? ` (${code})` : ''}`;
  const own = (c: string, retryable: boolean, truncated: Truncation = 'disconnect') => ({ error: fetchError(c, detail, retryable), truncated });
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return own('JVX_ERR_FETCH_TIMEOUT_CONNECT', true);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return own('JVX_ERR_FETCH_TIMEOUT_HEADERS', true, 'time');
    case 'UND_ERR_BODY_TIMEOUT':
      return own('JVX_ERR_FETCH_TIMEOUT_BODY', true, 'time');
    case 'JVX_ERR_FETCH_TIMEOUT_TOTAL':
      return own('JVX_ERR_FETCH_TIMEOUT_TOTAL', true, 'time');
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return own('JVX_ERR_FETCH_RESET', true);
    case 'ECONNREFUSED':
      return own('JVX_ERR_FETCH_REFUSED', true);
    case 'ENOTFOUND':
    case 'ENODATA':
      return own('JVX_ERR_FETCH_DNS', false);
    case 'EAI_AGAIN':
      return own('JVX_ERR_FETCH_DNS', true);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return own('JVX_ERR_FETCH_UNREACHABLE', true);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return own('JVX_ERR_FETCH_PROTOCOL', false);
    default:
      if (code.startsWith('JVX_ERR_')) return own(code, false);
      if (code.startsWith('HPE_') || (err as Error)?.name === 'HTTPParserError') return own('JVX_ERR_FETCH_PROTOCOL', false);
      if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SSL/.test(code)) return own('JVX_ERR_FETCH_TLS', false);
      return own('JVX_ERR_FETCH_NETWORK', true);
  }
}
