import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { HostHealth, retryDecision, type FetchError, type FetchResult } from '../../src/fetch/index.js';

function result(status: number | null, error: FetchError | null): FetchResult {
  return {
    url: 'http://x.test/',
    finalUrl: 'http://x.test/',
    status,
    contentType: null,
    exchanges: [],
    redirectChain: ['http://x.test/'],
    error,
    truncated: null,
    startedAt: 0,
    durationMs: 1,
    decodeBody: async () => null,
  };
}
const policy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 };
const almostOne = (): number => 0.999999;

describe('retryDecision', () => {
  it('never retries an answer: 404, 200, or a non-retryable error', () => {
    expect(retryDecision(result(404, null), 1, policy)).toEqual({ retry: false, delayMs: 0 });
    expect(retryDecision(result(200, null), 1, policy).retry).toBe(false);
    const loop = result(301, { code: 'JVX_ERR_FETCH_REDIRECT_LOOP', message: '', retryable: false });
    expect(retryDecision(loop, 1, policy).retry).toBe(false);
  });

  it('retries retryable failures with exponential backoff and full jitter', () => {
    const timeout = result(null, { code: 'JVX_ERR_FETCH_TIMEOUT_HEADERS', message: '', retryable: true });
    expect(retryDecision(timeout, 1, policy, () => 0)).toEqual({ retry: true, delayMs: 0 });
    expect(retryDecision(timeout, 1, policy, almostOne).delayMs).toBe(999);
    expect(retryDecision(timeout, 2, policy, almostOne).delayMs).toBe(1_999);
    expect(retryDecision(timeout, 3, policy, almostOne).delayMs).toBe(3_999);
    expect(retryDecision(timeout, 3, policy, () => 0.5).delayMs).toBe(2_000);
    // capped by maxDelayMs however many attempts
    expect(retryDecision(timeout, 3, { ...policy, maxAttempts: 100 }, almostOne).delayMs).toBe(3_999);
    expect(retryDecision(timeout, 60, { ...policy, maxAttempts: 100 }, almostOne).delayMs).toBe(59_999);
  });

  it('stops at maxAttempts (attempts made, this one included)', () => {
    const reset = result(null, { code: 'JVX_ERR_FETCH_RESET', message: '', retryable: true });
    expect(retryDecision(reset, 3, policy).retry).toBe(true);
    expect(retryDecision(reset, 4, policy).retry).toBe(false);
    expect(retryDecision(reset, 1, { ...policy, maxAttempts: 1 }).retry).toBe(false);
  });

  it('obeys Retry-After on 429 and 503 only, capped by maxDelayMs', () => {
    const r429 = result(429, { code: 'JVX_ERR_HTTP_429', message: '', retryable: true, retryAfterMs: 12_000 });
    expect(retryDecision(r429, 1, policy)).toEqual({ retry: true, delayMs: 12_000 });
    expect(retryDecision(r429, 1, { ...policy, maxDelayMs: 5_000 })).toEqual({ retry: true, delayMs: 5_000 });
    const r500 = result(500, { code: 'JVX_ERR_HTTP_5XX', message: '', retryable: true, retryAfterMs: 12_000 });
    expect(retryDecision(r500, 1, policy, almostOne).delayMs).toBe(999);
  });

  it('publishes jarvix:fetch:retry and validates its inputs', () => {
    const seen: unknown[] = [];
    const on = (m: unknown): void => void seen.push(m);
    subscribe('jarvix:fetch:retry', on);
    try {
      retryDecision(result(503, { code: 'JVX_ERR_HTTP_5XX', message: '', retryable: true }), 2, policy, () => 0);
    } finally {
      unsubscribe('jarvix:fetch:retry', on);
    }
    expect(seen).toEqual([{ url: 'http://x.test/', attempt: 2, delayMs: 0, errorCode: 'JVX_ERR_HTTP_5XX' }]);
    expect(() => retryDecision(result(500, null), 0, policy)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => retryDecision(result(500, null), 1, { ...policy, maxAttempts: 0 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
  });
});

describe('HostHealth', () => {
  it('backs a failing host off exponentially and resets on success', () => {
    const h = new HostHealth({ baseBackoffMs: 100, maxBackoffMs: 1_000 });
    expect(h.record('a.test', 'failure')).toEqual({ backoffMs: 100, gaveUp: false });
    expect(h.record('a.test', 'failure').backoffMs).toBe(200);
    expect(h.record('A.TEST', 'failure').backoffMs).toBe(400);
    expect(h.record('a.test', 'failure').backoffMs).toBe(800);
    expect(h.record('a.test', 'failure').backoffMs).toBe(1_000);
    expect(h.record('a.test', 'ok')).toEqual({ backoffMs: 0, gaveUp: false });
    expect(h.record('a.test', 'failure').backoffMs).toBe(100);
    expect(h.record('b.test', 'ok').backoffMs).toBe(0);
  });

  it('gives a host up after N consecutive failures, and only that host', () => {
    const h = new HostHealth({ maxConsecutiveFailures: 3, baseBackoffMs: 10 });
    h.record('dead.test', 'failure');
    h.record('dead.test', 'overload');
    expect(h.isGivenUp('dead.test')).toBe(false);
    expect(h.record('dead.test', 'failure').gaveUp).toBe(true);
    expect(h.isGivenUp('dead.test')).toBe(true);
    expect(h.isGivenUp('alive.test')).toBe(false);
    // a late success from an in-flight request does not resurrect it
    expect(h.record('dead.test', 'ok').gaveUp).toBe(true);
    expect(h.isGivenUp('dead.test')).toBe(true);
  });

  it('an overload with Retry-After waits at least that long', () => {
    const h = new HostHealth({ baseBackoffMs: 100, maxBackoffMs: 60_000 });
    expect(h.record('slow.test', 'overload', 30_000).backoffMs).toBe(30_000);
    expect(h.record('slow.test', 'overload', 10).backoffMs).toBe(200);
  });

  it('forgets the least recently seen hosts beyond maxHosts (bounded memory)', () => {
    const h = new HostHealth({ maxHosts: 3, maxConsecutiveFailures: 1 });
    for (const host of ['h1', 'h2', 'h3']) h.record(host, 'failure');
    h.record('h1', 'failure'); // h1 is now the most recent
    h.record('h4', 'failure');
    expect(h.size).toBe(3);
    expect(h.isGivenUp('h2')).toBe(false);
    expect(['h1', 'h3', 'h4'].every((x) => h.isGivenUp(x))).toBe(true);
    for (let i = 0; i < 1_000; i++) h.record(`many${i}`, 'failure');
    expect(h.size).toBe(3);
  });

  it('rejects unknown and invalid options', () => {
    expect(() => new HostHealth({ maxConsecutiveFailures: 0 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => new HostHealth({ nope: 1 } as never)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_UNKNOWN' }));
  });
});
