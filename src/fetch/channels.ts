import { channel } from 'node:diagnostics_channel';

/**
 * What the fetch path publishes; `observe/` subscribes and turns these into metrics and logs.
 *   jarvix:fetch:start  { url, method }
 *   jarvix:fetch:hop    { url, status, durationMs, bytes, truncated }   one per exchange
 *   jarvix:fetch:end    { url, finalUrl, status, errorCode, durationMs, hops, truncated }
 *   jarvix:fetch:retry  { url, attempt, delayMs, errorCode }
 *   jarvix:host:backoff { host, failures, backoffMs, gaveUp }
 */
export const fetchChannels = {
  start: channel('jarvix:fetch:start'),
  hop: channel('jarvix:fetch:hop'),
  end: channel('jarvix:fetch:end'),
  retry: channel('jarvix:fetch:retry'),
  hostBackoff: channel('jarvix:host:backoff'),
};
