import { hostname } from 'node:os';

/**
 * Default worker id of a Redis run: `<hostname>-<pid>`, cut to the id alphabet. Unique per live
 * process on a machine, and across machines as long as hostnames differ, so two workers never
 * write the same WARC or shard names by accident. A restarted process gets a new id: its old
 * leases come back by expiry (any worker's periodic recover). To resume a crashed worker's own
 * files and leases at once, give it a stable `--worker` id instead.
 */
export function defaultWorkerId(host: string = hostname(), pid: number = process.pid): string {
  const clean = host.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'worker';
  return `${clean}-${pid}`;
}
