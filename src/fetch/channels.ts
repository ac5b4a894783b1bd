import { channel } from 'node:diagnostics_channel';

/**
 * What the fetch path publishes; `observe/` subscribes and turns these into metrics and logs.
 *   jarvix:fetch:start  { id, url, method }
 *   jarvix:fetch:hop    { id, url, status, durationMs, bytes, truncated }   one per exchange
 *   jarvix:fetch:end    { id, url, finalUrl, status, errorCode, durationMs, hops, truncated }
 *   jarvix:fetch:retry  { url, attempt, delayMs, errorCode }
 *   jarvix:host:backoff { host, failures, backoffMs, gaveUp }
 * `id` is unique per fetch in the process and pairs start, hops and end.
 */
export const fetchChannels = {
  start: channel('jarvix:fetch:start'),
  hop: channel('jarvix:fetch:hop'),
  end: channel('jarvix:fetch:end'),
  retry: channel('jarvix:fetch:retry'),
  hostBackoff: channel('jarvix:host:backoff'),
};
