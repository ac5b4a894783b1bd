import { hostKey } from '../url/index.js';
import { FrontierError } from './frontier-error.js';
import type { FrontierAdd, HostPolicy } from './types.js';

/** Argument checks shared by frontier implementations: a bad call fails with a code, never corrupts state. */
export function parseId(id: string, what: 'id' | 'slot' = 'id'): number {
  const n = typeof id === 'string' && /^[1-9]\d{0,15}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw what === 'id'
      ? new FrontierError('JVX_ERR_FRONTIER_UNKNOWN_ID', `not a frontier id: ${JSON.stringify(id)}`, { id: String(id) })
      : new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', `not a slot token: ${JSON.stringify(id)}`);
  }
  return n;
}

export function checkAdd(u: FrontierAdd, index: number): string {
  const bad = (why: string): FrontierError =>
    new FrontierError('JVX_ERR_FRONTIER_BAD_ADD', `add: item ${index}: ${why}`, { url: typeof u?.url === 'string' ? u.url : undefined });
  if (typeof u?.url !== 'string' || u.url === '') throw bad('url must be a non-empty string');
  if (!Number.isInteger(u.depth) || u.depth < 0) throw bad('depth must be an integer >= 0');
  if (u.priority !== undefined && !Number.isFinite(u.priority)) throw bad('priority must be a finite number');
  try {
    return hostKey(u.url);
  } catch {
    throw bad('url is not an absolute URL');
  }
}

export function checkInt(v: number, min: number, what: string): void {
  if (!Number.isInteger(v) || v < min) throw new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', `${what} must be an integer >= ${min}, got ${String(v)}`);
}

export function checkTime(v: number, what: string): void {
  if (!Number.isFinite(v)) throw new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', `${what} must be a finite epoch ms, got ${String(v)}`);
}

export function checkWorker(v: string, what: string): void {
  if (typeof v !== 'string' || v === '') throw new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', `${what} must be a non-empty string`);
}

export function checkPolicy(p: HostPolicy, what: string): void {
  if (!Number.isInteger(p?.maxConcurrent) || p.maxConcurrent < 1 || !Number.isFinite(p.delayMs) || p.delayMs < 0) {
    throw new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', `${what} must be { maxConcurrent: integer >= 1, delayMs: number >= 0 }`);
  }
}

/** The arguments of `Frontier.lease`, checked the same way by every implementation. */
export function checkLeaseArgs(max: number, options: { now: number; leaseMs: number; worker: string }): void {
  checkInt(max, 0, 'lease: max');
  checkTime(options.now, 'lease: now');
  checkInt(options.leaseMs, 1, 'lease: leaseMs');
  checkWorker(options.worker, 'lease: worker');
}
