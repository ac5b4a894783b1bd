import { createAgent, type JarvixAgent } from '../net/index.js';
import type { Frontier, CheckpointRecord } from '../frontier/types.js';
import { createFetcher, HostHealth, type Fetcher } from '../fetch/index.js';
import { PolicyGate } from '../policy/index.js';
import { RobotsCache, type RobotsFetchResult } from '../robots/index.js';
import { buildUserAgent } from '../url/index.js';
import { StagePool } from '../stages/index.js';
import { WarcWriter, repairWarcs } from '../warc/index.js';
import { DatasetWriter, recoverShards } from '../dataset/index.js';
import type { RunPaths } from '../run/index.js';
import { VERSION } from '../version.js';
import { committedCheckpoints, committedShards, type Checkpointer } from './checkpointer.js';
import { CheckpointIndex } from '../search/index.js';
import type { Counters } from './counters.js';
import { HostPolicies } from './host-policies.js';
import type { CollectOptions } from './options.js';
import type { TaskContext } from './page-task.js';
import { sharedFetchRobots, type RobotsStore } from './robots-store.js';

/**
 * The parts a page task runs on, built apart from `Collector.run` so each can be made (and a page
 * task run, see test/collect/page-task.test.ts) without booting a whole collector. `Collector.run`
 * calls these in order: network → outputs → robots → (checkpointer, lease buffer, pool) → context.
 */

/** The connection pool and the two fetchers: pages, and robots.txt with its own shorter timeout. */
export interface Network {
  agent: JarvixAgent;
  fetcher: Fetcher;
  robotsFetcher: Fetcher;
  robotsTimeoutMs: number;
}

export function createNetwork(opts: CollectOptions): Network {
  const agent = createAgent({ resolve: opts.resolve, allowPrivate: opts.allowPrivate, connectTimeoutMs: Math.min(opts.timeoutMs, 30_000) });
  const userAgent = opts.userAgent ?? buildUserAgent({ version: VERSION, contactUrl: opts.contactUrl });
  const fetcher = createFetcher(agent, {
    userAgent,
    headersTimeoutMs: opts.timeoutMs,
    bodyTimeoutMs: opts.timeoutMs,
    totalTimeoutMs: opts.timeoutMs * 2,
    maxBodyBytes: opts.maxBodyBytes,
  });
  // robots.txt gets its own, shorter timeout: a host whose robots.txt hangs holds all its URLs
  // back until it answers or we give up (and then disallow the host for a while, RFC 9309).
  const robotsTimeoutMs = Math.min(opts.timeoutMs, opts.robotsTimeoutMs);
  const robotsFetcher = createFetcher(agent, {
    userAgent,
    headersTimeoutMs: robotsTimeoutMs,
    bodyTimeoutMs: robotsTimeoutMs,
    totalTimeoutMs: robotsTimeoutMs * 2,
    maxBodyBytes: 512 * 1024,
    maxRedirects: 5,
  });
  return { agent, fetcher, robotsFetcher, robotsTimeoutMs };
}

/** This worker's WARC writer, dataset writer and stage pool, opened after cutting both outputs back to the last commit. */
export interface Outputs {
  archive: WarcWriter;
  dataset: DatasetWriter;
  stages: StagePool | null;
  /** The worker's search index (docs/search.md), kept in step with the committed checkpoints; none with --no-extract. */
  search: CheckpointIndex | undefined;
  /** This worker's last committed checkpoint, if any: the checkpointer continues its sequence. */
  last: CheckpointRecord | undefined;
  /** Closes what was opened, never throwing (a run's own error is the one to report). */
  close(): Promise<void>;
}

/** What resume says and checks around cutting the outputs back (collector.ts, run-safety.ts). */
export interface ResumeHooks {
  /** Every file cut or removed is said, always (not only at a log level): nothing changes silently. */
  say(line: string): void;
  /** Before anything is cut: refuse when this worker's state is gone but its files are not. */
  beforeCut(committedCheckpoints: number): Promise<void>;
  /** After in-flight URLs returned to the queue: `--repair`, or the cheap integrity check. */
  afterRecover(): Promise<void>;
}

/**
 * Resume (docs/design.md, "Delivery guarantee"): cut every output back to the last commit, return
 * in-flight URLs to the queue, then open the writers. On a failure, what was opened is closed.
 */
export async function openOutputs(opts: CollectOptions, paths: RunPaths, frontier: Frontier, warcinfo: Record<string, string>, hooks: Partial<ResumeHooks> = {}): Promise<Outputs> {
  const mine = (await frontier.checkpoints()).filter((c) => c.worker === opts.worker);
  const last = mine.at(-1);
  await hooks.beforeCut?.(mine.length);
  await repairWarcs(paths.warcDir, paths.indexDir, opts.worker, last ? [...last.warcs] : [], (change) => hooks.say?.(`resume: ${change}`));
  await recoverShards(paths.root, opts.worker, committedShards(mine), (change) => hooks.say?.(`resume: ${change}`));
  await frontier.recover({ now: Date.now(), worker: opts.worker });
  await hooks.afterRecover?.();
  // The search index follows the committed checkpoints: add what a crash left out, drop what it holds beyond them.
  let search: CheckpointIndex | undefined;
  if (opts.extract) {
    search = await CheckpointIndex.open(paths.root, opts.worker);
    await search.reconcile(committedCheckpoints(mine));
  }

  let archive: WarcWriter | undefined;
  let dataset: DatasetWriter | undefined;
  let stages: StagePool | null = null;
  const close = async (): Promise<void> => {
    await stages?.close().catch(() => {});
    await archive?.close().catch(() => {});
    await dataset?.close().catch(() => {});
    search?.close();
  };
  try {
    archive = await WarcWriter.open({ dir: paths.warcDir, indexDir: paths.indexDir, run: opts.runId, worker: opts.worker, warcinfo });
    dataset = await DatasetWriter.open({ runDir: paths.root, worker: opts.worker });
    if (opts.extract) stages = new StagePool({ threads: opts.extractThreads });
  } catch (err) {
    await close();
    throw err;
  }
  return { archive, dataset, stages, search, last, close };
}

/**
 * robots.txt per host, each answer archived like any exchange. `robotsFetchedAt` records when a
 * host's robots.txt request ended: that request bypassed the frontier's per-host readiness, so the
 * page task keeps the host's delay itself (page-task.ts). With Redis (`store`), one worker fetches
 * a host's robots.txt and shares the answer with all (robots-store.ts).
 */
export function createRobots(
  opts: CollectOptions,
  net: Network,
  archive: WarcWriter,
  store: RobotsStore | null,
  robotsFetchedAt: Map<string, number>,
): RobotsCache | null {
  if (!opts.respectRobots) return null;
  const fetchRobots = async (origin: string): Promise<RobotsFetchResult> => {
    const res = await net.robotsFetcher.fetch(`${origin}/robots.txt`);
    robotsFetchedAt.set(new URL(origin).hostname, Date.now());
    try {
      for (const ex of res.exchanges) await archive.writeExchange(ex, { fetchDurationMs: ex.durationMs, truncated: ex.truncated });
      if (res.error) return { status: null, body: null, error: res.error.code, errorMessage: res.error.message };
      const body = res.status !== null && res.status < 300 ? await res.decodeBody() : null;
      return { status: res.status, body: body ? body.bytes.toString('utf8') : null };
    } finally {
      for (const ex of res.exchanges) await ex.body.dispose();
    }
  };
  return new RobotsCache({
    userAgent: 'jarvix',
    fetchRobots: store === null ? fetchRobots : sharedFetchRobots(store, fetchRobots, { holdMs: net.robotsTimeoutMs * 3 }),
  });
}

export function createGate(opts: CollectOptions): PolicyGate {
  return new PolicyGate({
    allowPrivate: opts.allowPrivate,
    allowDomains: opts.allowDomains,
    denyDomains: opts.denyDomains,
    allowPatterns: opts.allowPatterns,
    denyPatterns: opts.denyPatterns,
    blockedPaths: opts.blockedPaths,
    scope: opts.follow ? opts.scope : 'any',
    maxDepth: opts.maxDepth,
  });
}

/** What the task context needs from the running collector: its sinks and its scheduling hooks. */
export interface TaskHooks {
  frontier: Frontier;
  checkpointer: Checkpointer;
  counters: Counters;
  robotsFetchedAt: Map<string, number>;
  poke(): void;
  defer: TaskContext['defer'];
  reportOverload(): void;
}

/** The context every page task of a run shares. */
export function taskContext(opts: CollectOptions, net: Network, outputs: Pick<Outputs, 'archive' | 'stages'>, robots: RobotsCache | null, hooks: TaskHooks): TaskContext {
  return {
    frontier: hooks.frontier,
    fetcher: net.fetcher,
    robots,
    gate: createGate(opts),
    health: new HostHealth(),
    archive: outputs.archive,
    stages: outputs.stages,
    checkpointer: hooks.checkpointer,
    opts,
    counters: hooks.counters,
    robotsFetchedAt: hooks.robotsFetchedAt,
    poke: hooks.poke,
    defer: hooks.defer,
    policies: new HostPolicies(hooks.frontier),
    reportOverload: hooks.reportOverload,
  };
}
