import type { Frontier, LeasedUrl } from '../frontier/types.js';
import type { HostPolicies } from './host-policies.js';
import { beginPolitenessWait, politenessWait, publishDeadLetter } from './channels.js';
import type { Fetcher, FetchResult, HostHealth } from '../fetch/index.js';
import { hostOutcome, retryDecision } from '../fetch/index.js';
import type { PolicyGate } from '../policy/index.js';
import type { RobotsCache } from '../robots/index.js';
import { hostKey, normalizeUrl } from '../url/index.js';
import { isOverload } from '../errors/index.js';
import { decodeDeadLetter, isAnalysedType, stageInput, type StagePool } from '../stages/index.js';
import type { WarcWriter, WarcLocation } from '../warc/index.js';
import type { Checkpointer } from './checkpointer.js';
import type { CollectOptions } from './options.js';
import { buildRows, refusedRows, type PageOutcome } from './rows.js';
import { addRequisites, gateDepth, isRequisite, requisiteRows } from './requisites.js';
import type { TableRows } from './checkpointer.js';
import type { Counters } from './counters.js';

export interface TaskContext {
  frontier: Frontier;
  fetcher: Fetcher;
  robots: RobotsCache | null;
  gate: PolicyGate;
  health: HostHealth;
  archive: WarcWriter;
  stages: StagePool | null;
  checkpointer: Checkpointer;
  opts: CollectOptions;
  counters: Counters;
  policies: HostPolicies;
  /** A 429, 503 or timeout: the pool counts these and scales down when they rise. */
  reportOverload(): void;
  /**
   * When a host's robots.txt request ended, until its next page starts: that request bypassed the
   * frontier's per-host readiness, so the page task keeps the delay itself. Page requests are spaced
   * by the frontier (releaseHost readyAt) and are not kept here, so the map stays as small as the
   * number of hosts whose robots.txt was just fetched.
   */
  robotsFetchedAt: Map<string, number>;
  /** A host slot was freed or URLs were added: the lease buffer may find work. */
  poke(): void;
  /**
   * Hands a lease back to the buffer to start again at `at`, keeping its URL and host slot: a
   * task waiting out a politeness gap would otherwise hold one of the pool's slots asleep.
   */
  defer(lease: LeasedUrl, at: number): void;
}

/** Shorter politeness gaps are slept inside the task; a deferred lease costs a pass through the buffer. */
const DEFER_MIN_MS = 50;

/** Deferred leases whose politeness wait was announced: its end is announced when the lease runs again. */
const waitEnds = new WeakMap<LeasedUrl, () => void>();

/**
 * One leased URL from start to finish: policy, robots, fetch (with retries through the frontier, so
 * every retry waits its turn at the host), archive, extract, rows, discovered links. Exactly one
 * `releaseHost` per lease, whatever happens.
 */
export async function runPageTask(ctx: TaskContext, lease: LeasedUrl): Promise<void> {
  const { frontier, opts, counters } = ctx;
  const host = lease.host;
  const waitEnd = waitEnds.get(lease);
  if (waitEnd) {
    waitEnds.delete(lease);
    waitEnd();
  }
  const policy = await ctx.policies.get(host);
  let readyAt = Date.now();
  let requested = false;
  let deferred = false;
  try {
    if (ctx.health.isGivenUp(host)) {
      counters.failed++;
      await ctx.checkpointer.add(lease, rowsOf(lease, refusedRows(lease, 'JVX_ERR_FETCH_HOST_GIVEN_UP', `host ${host} gave up after repeated failures`, 'failed')));
      return;
    }
    const gate = ctx.gate.check(lease.url, { depth: gateDepth(lease) });
    if (!gate.allowed) {
      counters.refused++;
      await ctx.checkpointer.add(lease, rowsOf(lease, refusedRows(lease, gate.code, gate.reason, 'refused')));
      return;
    }
    let delayMs = policy.delayMs;
    if (ctx.robots) {
      const verdict = await ctx.robots.check(lease.url);
      if (verdict.crawlDelayMs !== undefined) {
        const crawlDelay = Math.min(verdict.crawlDelayMs, opts.maxCrawlDelayMs);
        if (crawlDelay > delayMs) delayMs = (await ctx.policies.raiseDelay(host, crawlDelay)).delayMs;
      }
      // robots.txt was just fetched from this host by this task: that request bypassed the
      // frontier's readiness, so the host's next request (this page, or another worker's page when
      // this one is refused) waits the delay from its end. The slot is released no earlier.
      const last = ctx.robotsFetchedAt.get(host);
      if (last !== undefined) {
        ctx.robotsFetchedAt.delete(host);
        readyAt = last + delayMs;
      }
      if (!verdict.allowed) {
        counters.refused++;
        counters.robotsBlocked++;
        // robots.txt got no answer at all (DNS, TLS, refused, timeout): RFC 9309 says disallow, and
        // the row says why, with the underlying failure's code and message.
        const cause = verdict.unreachable;
        const message = cause ? `robots.txt unreachable, so not fetched: ${cause.message.replace(/\s+/g, ' ').trim()} [${cause.code}]` : `disallowed by robots.txt (${verdict.source})`;
        await ctx.checkpointer.add(lease, rowsOf(lease, refusedRows(lease, 'JVX_ERR_ROBOTS_DISALLOWED', message, 'refused')));
        return;
      }
      // Keep the politeness gap after that robots.txt request before the page. A long gap
      // (Crawl-delay) is waited out of the pool: the lease comes back when it is over.
      if (last !== undefined) {
        const wait = last + delayMs - Date.now();
        if (wait > DEFER_MIN_MS) {
          deferred = true;
          waitEnds.set(lease, beginPolitenessWait(lease.url, host, wait));
          ctx.defer(lease, last + delayMs);
          return;
        }
        if (wait > 0) await politenessWait(lease.url, host, wait);
      }
    }

    requested = true;
    const result = await ctx.fetcher.fetch(lease.url, { beforeHop: (url) => beforeHop(ctx, url, lease, delayMs) });
    const ended = Date.now();
    readyAt = ended + delayMs;
    counters.requests += result.exchanges.length;
    try {
      const overload = result.status === 429 || result.status === 503 || (result.error != null && isOverload(result.error.code));
      if (overload) ctx.reportOverload();
      const said = hostOutcome(result, overload);
      const health = said === null ? { backoffMs: 0, gaveUp: false } : ctx.health.record(host, said, result.error?.retryAfterMs);
      if (health.backoffMs > 0) readyAt = Math.max(readyAt, ended + health.backoffMs);

      if (result.error?.retryable && !health.gaveUp) {
        const decision = retryDecision(result, lease.attempts + 1, {
          maxAttempts: opts.maxAttempts,
          baseDelayMs: opts.retryBaseDelayMs,
          maxDelayMs: opts.retryMaxDelayMs,
        });
        if (decision.retry) {
          counters.retries++;
          await archiveAll(ctx, result);
          await frontier.retry(lease.id, ended + decision.delayMs);
          return;
        }
      }

      const location = await archiveAll(ctx, result);
      const outcome = await analyse(ctx, lease, result);
      if (result.error) counters.failed++;
      else counters.fetched++;
      counters.bytes += result.exchanges.reduce((n, ex) => n + ex.body.length, 0);
      if (result.status !== null) counters.status[Math.floor(result.status / 100)] = (counters.status[Math.floor(result.status / 100)] ?? 0) + 1;
      if (opts.follow && lease.depth < opts.maxDepth && outcome.links.length > 0) await addDiscovered(ctx, lease, outcome.links);
      if (opts.pageRequisites) await addRequisites(ctx, result);
      await ctx.checkpointer.add(lease, rowsOf(lease, buildRows(lease, result, location, outcome)));
      counters.recordLatency(result.durationMs);
    } finally {
      for (const ex of result.exchanges) await ex.body.dispose();
    }
  } finally {
    if (!deferred) {
      await frontier.releaseHost(host, requested ? readyAt : Math.max(readyAt, Date.now()), lease.slot);
      ctx.poke();
    }
  }
}

/**
 * Before each redirect hop: the policy gate and robots.txt of the target, and, for a hop to the
 * same host, the host's delay (a redirect is another request to that host; we still hold its slot).
 */
async function beforeHop(ctx: TaskContext, url: string, lease: LeasedUrl, delayMs: number): Promise<{ allowed: true } | { allowed: false; code: string; reason: string }> {
  const gate = ctx.gate.check(url, { depth: gateDepth(lease) });
  if (!gate.allowed) return gate;
  if (ctx.robots) {
    const verdict = await ctx.robots.check(url);
    if (!verdict.allowed) return { allowed: false, code: 'JVX_ERR_ROBOTS_DISALLOWED', reason: `redirect target disallowed by robots.txt (${verdict.source})` };
  }
  if (delayMs > 0 && hostKey(url) === lease.host) await politenessWait(lease.url, lease.host, delayMs);
  return { allowed: true };
}

async function archiveAll(ctx: TaskContext, result: FetchResult): Promise<WarcLocation | null> {
  let last: WarcLocation | null = null;
  for (let i = 0; i < result.exchanges.length; i++) {
    const ex = result.exchanges[i]!;
    const isFinal = i === result.exchanges.length - 1;
    last = await ctx.archive.writeExchange(ex, {
      redirectChain: isFinal ? result.redirectChain : undefined,
      fetchDurationMs: ex.durationMs,
      truncated: ex.truncated,
    });
  }
  return last;
}

/** The stages on a 2xx body of an analysed type (src/stages/page-rows.ts decides which, for curate too). */
async function analyse(ctx: TaskContext, lease: LeasedUrl, result: FetchResult): Promise<PageOutcome> {
  const none: PageOutcome = { stage: null, links: [], deadLetter: null, decodedTruncated: false };
  if (!ctx.stages || isRequisite(lease) || result.error || result.status === null || result.status < 200 || result.status >= 300) return none;
  if (!isAnalysedType(result.contentType)) return none;
  let decoded: { bytes: Buffer; truncated: boolean } | null;
  try {
    decoded = await result.decodeBody();
  } catch (err) {
    const deadLetter = decodeDeadLetter(err);
    publishDeadLetter(lease.url, deadLetter.stage, deadLetter.errorCode, deadLetter.message);
    return { ...none, deadLetter };
  }
  if (!decoded) return none;
  const res = await ctx.stages.process(stageInput(result.finalUrl, decoded.bytes, result.contentType, result.status, lease.attempts + 1));
  if ('deadLetter' in res && res.deadLetter) {
    ctx.counters.deadLetters++;
    return { ...none, deadLetter: res.deadLetter, decodedTruncated: decoded.truncated };
  }
  const links = 'extract' in res && res.extract ? res.extract.links.map((l) => l.url) : [];
  return { stage: res, links, deadLetter: null, decodedTruncated: decoded.truncated };
}

/** A page requisite commits no pages row (src/collect/requisites.ts). */
const rowsOf = (lease: LeasedUrl, rows: TableRows): TableRows => (isRequisite(lease) ? requisiteRows(lease, rows) : rows);

async function addDiscovered(ctx: TaskContext, lease: LeasedUrl, links: readonly string[]): Promise<void> {
  const depth = lease.depth + 1;
  const batch: { url: string; depth: number }[] = [];
  const seen = new Set<string>();
  for (const raw of links) {
    let url: string;
    try {
      url = normalizeUrl(raw);
    } catch {
      continue;
    }
    if (seen.has(url)) continue;
    seen.add(url);
    if (ctx.gate.check(url, { depth, scopeOf: lease.url }).allowed) batch.push({ url, depth });
  }
  if (batch.length === 0) return;
  const added = await ctx.frontier.add(batch);
  ctx.counters.discovered += added;
  ctx.counters.total += added;
  if (added > 0) ctx.poke();
}
