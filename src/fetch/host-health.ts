import { is, resolveOptions, type Checks } from '../options/index.js';
import { LruMap } from '../util/lru-map.js';
import { fetchChannels } from './channels.js';
import { isPolicyRefusal } from './fetch-errors.js';
import type { FetchResult } from './types.js';

/**
 * What one fetch says about its host, for HostHealth.record: null when it says nothing. A policy
 * refusal (a redirect to a private address, a denied domain, robots.txt) is our decision about one
 * URL, not the host failing: it must not back the host off nor count toward giving it up. When
 * the host did answer before the refusal (the redirect itself), that answer counts as 'ok'.
 */
export function hostOutcome(result: Pick<FetchResult, 'error' | 'status'>, overload: boolean): 'ok' | 'failure' | 'overload' | null {
  if (!result.error) return 'ok';
  if (isPolicyRefusal(result.error)) return result.status === null ? null : 'ok';
  return overload ? 'overload' : 'failure';
}

export interface HostHealthOptions {
  /** Consecutive failures after which a host is given up for the rest of the run. */
  maxConsecutiveFailures: number;
  /** Backoff after the first failure; doubles with each further one. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Hosts remembered; the least recently seen are forgotten beyond this (bounded memory). */
  maxHosts: number;
}

const defaults: HostHealthOptions = { maxConsecutiveFailures: 8, baseBackoffMs: 1_000, maxBackoffMs: 10 * 60_000, maxHosts: 100_000 };
const checks: Checks<HostHealthOptions> = {
  maxConsecutiveFailures: [is.int(1, 1_000_000), 'an integer >= 1'],
  baseBackoffMs: [is.int(0, 24 * 3600_000), 'an integer of milliseconds'],
  maxBackoffMs: [is.int(0, 24 * 3600_000), 'an integer of milliseconds'],
  maxHosts: [is.int(1, 100_000_000), 'an integer >= 1'],
};

interface HostState {
  failures: number;
  gaveUp: boolean;
}

/**
 * Per-host failure memory: each consecutive failure doubles the host's backoff, a success resets
 * it, and after `maxConsecutiveFailures` in a row the host is given up (its remaining URLs are
 * recorded as failed instead of hammering a dead server). Only unhealthy hosts are kept, in an
 * LRU map, so memory is bounded however many hosts a crawl touches.
 */
export class HostHealth {
  readonly #o: HostHealthOptions;
  readonly #hosts: LruMap<string, HostState>;

  constructor(options?: Partial<HostHealthOptions>) {
    this.#o = resolveOptions('hostHealth', defaults, checks, options);
    this.#hosts = new LruMap(this.#o.maxHosts);
  }

  get size(): number {
    return this.#hosts.size;
  }

  isGivenUp(host: string): boolean {
    return this.#hosts.get(host.toLowerCase())?.gaveUp === true;
  }

  /** `overload` (429/503/timeout) counts as a failure, and a Retry-After lengthens the backoff. */
  record(host: string, outcome: 'ok' | 'failure' | 'overload', retryAfterMs?: number): { backoffMs: number; gaveUp: boolean } {
    const key = host.toLowerCase();
    const prior = this.#hosts.get(key);
    if (outcome === 'ok') {
      if (prior && !prior.gaveUp) this.#hosts.delete(key);
      return { backoffMs: 0, gaveUp: prior?.gaveUp === true };
    }
    const state = prior ?? { failures: 0, gaveUp: false };
    state.failures++;
    if (state.failures >= this.#o.maxConsecutiveFailures) state.gaveUp = true;
    this.#hosts.set(key, state); // most recently failing host goes last; the oldest is forgotten beyond maxHosts
    let backoffMs = Math.min(this.#o.maxBackoffMs, this.#o.baseBackoffMs * 2 ** Math.min(state.failures - 1, 40));
    if (outcome === 'overload' && retryAfterMs !== undefined) backoffMs = Math.max(backoffMs, Math.min(retryAfterMs, this.#o.maxBackoffMs));
    if (fetchChannels.hostBackoff.hasSubscribers) {
      fetchChannels.hostBackoff.publish({ host: key, failures: state.failures, backoffMs, gaveUp: state.gaveUp });
    }
    return { backoffMs, gaveUp: state.gaveUp };
  }
}
