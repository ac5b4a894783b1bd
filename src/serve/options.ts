import { isIP } from 'node:net';
import { is, resolveOptions, type Checks } from '../options/index.js';
import { NotLoopbackError } from './errors.js';

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Listen on a non-loopback address (the archive is then reachable from the network). */
  allowRemote: boolean;
}

const DEFAULTS: ServeOptions = { host: '127.0.0.1', port: 8090, allowRemote: false };
const CHECKS: Checks<ServeOptions> = {
  host: [is.nonEmptyString, 'a host name or IP address'],
  port: [is.int(0, 65535), 'an integer from 0 to 65535'],
  allowRemote: [is.boolean, 'a boolean'],
};

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export function resolveServeOptions(given?: Partial<ServeOptions>): ServeOptions {
  const o = resolveOptions('serve', DEFAULTS, CHECKS, given);
  if (!o.allowRemote && !isLoopback(o.host)) throw new NotLoopbackError(o.host);
  return o;
}
