import { JarvixError } from '../errors/index.js';

export type RedisFrontierErrorCode =
  /** Redis did not answer within `unavailableTimeoutMs` (down, restarting, unreachable). Retryable. */
  | 'JVX_ERR_FRONTIER_REDIS_UNAVAILABLE'
  /** The server refused the credentials (WRONGPASS, NOAUTH, NOPERM). Not retryable. */
  | 'JVX_ERR_FRONTIER_REDIS_AUTH'
  /** The TLS handshake failed on a certificate (unknown CA, wrong name). Not retryable. */
  | 'JVX_ERR_FRONTIER_REDIS_TLS'
  /** The server or the run is set up in a way the frontier cannot use safely (eviction, other dedup mode). */
  | 'JVX_ERR_FRONTIER_REDIS_CONFIG'
  /** The server is at maxmemory and refuses writes. Retryable once memory frees up (commits delete URLs). */
  | 'JVX_ERR_FRONTIER_REDIS_OOM'
  /** The run's keys are gone (Redis restarted without persistence, was flushed, or evicted). Not retryable. */
  | 'JVX_ERR_FRONTIER_REDIS_LOST'
  /** Any other error reply (e.g. WRONGTYPE when a foreign key sits under the run's prefix). */
  | 'JVX_ERR_FRONTIER_REDIS_COMMAND';

/**
 * A Redis-specific frontier failure. `endpoint` is the server address with any password removed,
 * so errors and logs never leak credentials.
 */
export class RedisFrontierError extends JarvixError {
  readonly endpoint: string;
  readonly run?: string;
  constructor(code: RedisFrontierErrorCode, message: string, context: { endpoint: string; run?: string; cause?: unknown; retryable?: boolean }) {
    super(code, message, { cause: context.cause, retryable: context.retryable ?? (code === 'JVX_ERR_FRONTIER_REDIS_UNAVAILABLE' || code === 'JVX_ERR_FRONTIER_REDIS_OOM') });
    this.endpoint = context.endpoint;
    if (context.run !== undefined) this.run = context.run;
  }
}

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`; unparsable input is not echoed. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable redis url>';
  }
}
