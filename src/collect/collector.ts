import { mkdir } from 'node:fs/promises';
import { lockRun, runPaths, readManifest, writeManifest, newManifest, startSession, type RunManifest, type RunPaths } from '../run/index.js';
import type { Frontier } from '../frontier/types.js';
import { redactRedisUrl } from '../frontier/redis-error.js';
import { AutoscaledPool } from '../pool/index.js';
import { createNetwork, createRobots, openOutputs, taskContext, type Outputs } from './assemble.js';
import { Checkpointer } from './checkpointer.js';
import { damageWarning, RepairUnsupportedError } from './check/index.js';
import { repairRun } from './repair.js';
import { rebuildRunIndex } from '../search/index.js';
import { SqliteFrontier } from '../frontier/index.js';
import { publishFrontierSizes } from './channels.js';
import { Counters } from './counters.js';
import { LeaseBuffer } from './lease-buffer.js';
import { openRunState } from './open-frontier.js';
import { PatientFrontier } from './patient-frontier.js';
import { errorCode } from '../errors/index.js';
import { resolveCollectOptions, type CollectOptions } from './options.js';
import { runPageTask, type TaskContext } from './page-task.js';
import { Progress } from './progress.js';
import { checkInputSource } from '../input/index.js';
import { seedFrontier } from './seeding.js';
import { summarizeRun, type CollectSummary } from './summary.js';
import { CollectUncommittedError, CollectFreshRedisError, moveRunAside, refuseLostSqliteState, refuseLostWorkerState } from './run-safety.js';

export type { CollectSummary } from './summary.js';

const INITIAL_CONCURRENCY = 32;
/** After the first signal, how long a call waits for an unreachable Redis before the worker gives up. */
const STOP_REDIS_WAIT_MS = 5_000;
/** The second signal's (or the drain limit's) last commit waits at most this long. */
const ABORT_COMMIT_MS = 5_000;
const REPAIR_REDIS = 'works on embedded runs (state.sqlite), not with --redis: collect the lost URLs (see `jarvix check --redis`) under a new run';

/**
 * `jarvix collect`: seeds → frontier → autoscaled pool of page tasks → WARC + dataset, committed
 * by checkpoints. Re-running on an existing run resumes it. `stop()` (first signal) stops leasing
 * and finishes in-flight work; `abort()` (second signal) stops at once, committing what is done.
 */
export class Collector {
  readonly opts: CollectOptions;
  readonly paths: RunPaths;
  readonly counters = new Counters();
  #stopping = false;
  #aborted = false;
  #pool: AutoscaledPool | undefined;
  #buffer: LeaseBuffer | undefined;
  #checkpointer: Checkpointer | undefined;
  #patient: PatientFrontier | undefined;
  /** run.json as last written; each checkpoint and the end of the session update it. */
  #manifest: RunManifest | undefined;

  constructor(options: Partial<CollectOptions>) {
    this.opts = resolveCollectOptions(options);
    this.paths = runPaths(this.opts.dataDir, this.opts.runId);
    // Refused before anything is created: both work on the run folder's own state only.
    if (this.opts.redis !== undefined && this.opts.fresh) throw new CollectFreshRedisError();
    if (this.opts.redis !== undefined && this.opts.repair) throw new RepairUnsupportedError(REPAIR_REDIS);
  }

  /** First SIGINT/SIGTERM: take no new URLs, finish what is in flight, checkpoint. */
  stop(): void {
    this.#stopping = true;
    // During a Redis outage a stopping worker waits for Redis a bounded time, not for ever.
    this.#patient?.stopWaiting(STOP_REDIS_WAIT_MS);
    this.#buffer?.close();
    void this.#pool?.abort();
  }

  /**
   * Second signal: commit what is finished now, without waiting for in-flight fetches (their leases
   * return to the queue on resume). The caller exits the process after this resolves.
   */
  async abort(): Promise<{ committed: boolean; problem?: string }> {
    this.#aborted = true;
    this.stop();
    // Bounded: during a Redis outage the commit would wait for Redis; the leases return on their own.
    const done = (this.#checkpointer?.checkpoint() ?? Promise.resolve()).then(
      () => ({ committed: true }),
      (err: unknown) => ({ committed: false, problem: new CollectUncommittedError(this.opts.worker, this.#checkpointer?.seq ?? 0, err).message }),
    );
    const timeout = new Promise<{ committed: boolean; problem: string }>((r) =>
      setTimeout(() => r({ committed: false, problem: new CollectUncommittedError(this.opts.worker, this.#checkpointer?.seq ?? 0, new Error(`the commit did not finish within ${ABORT_COMMIT_MS / 1000} s`)).message }), ABORT_COMMIT_MS).unref(),
    );
    return Promise.race([done, timeout]);
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get concurrency(): { running: number; desired: number; constraint: string } {
    const pool = this.#pool;
    return pool ? { running: pool.concurrency, desired: pool.desiredConcurrency, constraint: pool.constraint } : { running: 0, desired: 0, constraint: 'starting' };
  }

  async run(): Promise<CollectSummary> {
    const { opts, paths } = this;
    const started = Date.now();
    if (opts.input !== undefined) await checkInputSource(opts.input);
    const say = (line: string): void => {
      process.stderr.write(`jarvix collect [${opts.worker}]: ${line}\n`);
    };
    await mkdir(paths.root, { recursive: true });
    // One process per run folder (per worker with --redis, where workers may share it): src/run/run-lock.ts.
    const lock = lockRun(paths.root, opts.redis === undefined ? { command: 'collect' } : { command: 'collect', mode: 'shared', worker: opts.worker });
    try {
      return await this.#runLocked(started, say);
    } catch (err) {
      if (errorCode(err) === 'JVX_ERR_FRONTIER_REDIS_GAVE_UP') throw new CollectUncommittedError(opts.worker, this.#checkpointer?.seq ?? 0, err);
      throw err;
    } finally {
      lock.release();
    }
  }

  async #runLocked(started: number, say: (line: string) => void): Promise<CollectSummary> {
    const { opts, paths } = this;
    let seeded: CollectSummary['input'];
    if (opts.fresh) {
      const aside = await moveRunAside(paths);
      if (aside) say(`--fresh: moved ${aside.moved.length} entries of the old run (${aside.moved.join(', ')}) to ${aside.dir}`);
    } else if (opts.redis === undefined) await refuseLostSqliteState(paths);
    for (const dir of [paths.root, paths.warcDir, paths.indexDir, paths.pagesDir, paths.linksDir, paths.chunksDir, paths.errorsDir]) {
      await mkdir(dir, { recursive: true });
    }
    const existing = await readManifest(paths.manifest);
    this.#manifest = startSession(existing ?? newManifest(opts.runId, configForManifest(opts)), opts.worker);
    await writeManifest(paths.manifest, this.#manifest);

    const state = await openRunState(opts, paths, say);
    if (state.frontier instanceof PatientFrontier) {
      this.#patient = state.frontier;
      if (this.#stopping) this.#patient.stopWaiting(STOP_REDIS_WAIT_MS);
    }
    const frontier: Frontier = state.frontier;
    // Assembly (assemble.ts): network, outputs, robots, then the task context below.
    const net = createNetwork(opts);
    let outputs: Outputs | undefined;
    const progress = new Progress(() => this.#snapshot(started), { mode: opts.progress, intervalMs: opts.progressIntervalMs });
    let outcome = 'failed';
    try {
      outputs = await openOutputs(opts, paths, frontier, { 'jarvix-config': JSON.stringify(configForManifest(opts)) }, {
        say,
        beforeCut: (committed) => refuseLostWorkerState(paths, opts.worker, committed, state.where),
        afterRecover: async () => {
          if (opts.repair) {
            if (!(frontier instanceof SqliteFrontier)) throw new RepairUnsupportedError(REPAIR_REDIS);
            await repairRun(paths, (urls) => frontier.reopen(urls), say);
            // Repair rewrote committed shards: the search index is rebuilt from them (docs/search.md).
            if (opts.extract) await rebuildRunIndex(paths.root);
          } else if (existing !== undefined) {
            // The cheap integrity check (docs/check.md): say so when committed shards or WARC bytes are gone.
            const warning = await damageWarning({ dataDir: opts.dataDir, runId: opts.runId, redis: opts.redis, worker: opts.redis === undefined ? undefined : opts.worker });
            if (warning) process.stderr.write(warning);
          }
        },
      });
      const { archive } = outputs;
      const robotsFetchedAt = new Map<string, number>();
      const robots = createRobots(opts, net, archive, state.robotsStore, robotsFetchedAt);

      const checkpointer = this.#openCheckpointer(frontier, outputs);
      this.#checkpointer = checkpointer;

      const seeding = await seedFrontier(frontier, opts.input, { firstRun: existing === undefined, runId: opts.runId });
      if (seeding.problems.length > 0) await checkpointer.add(null, { errors: seeding.problems });
      // Run totals, like done: failed and refused start from what the dataset holds (docs/collect.md, "Progress").
      this.counters.seedFromDataset((await summarizeRun(paths, new Counters(), started)).counts);
      if (opts.input !== undefined) seeded = { source: opts.input, lines: seeding.lines, urls: seeding.urls, invalid: seeding.lines - seeding.urls };
      const counts0 = await frontier.counts();
      this.counters.total = counts0.total;
      this.counters.done = counts0.done;

      const buffer = new LeaseBuffer(frontier, {
        worker: opts.worker,
        leaseMs: opts.leaseMs,
        ...(opts.redis === undefined ? {} : { recoverIntervalMs: Math.min(opts.recoverIntervalMs, Math.max(100, Math.floor(opts.leaseMs / 2))) }),
        room: () => (this.#pool ? Math.max(1, this.#pool.desiredConcurrency - this.#pool.concurrency) : 1),
        onDeferredReady: () => this.#pool?.notify(),
        maxBatch: opts.maxConcurrency,
      });
      this.#buffer = buffer;
      const taskCtx: TaskContext = taskContext(opts, net, outputs, robots, {
        frontier,
        checkpointer,
        counters: this.counters,
        robotsFetchedAt,
        poke: () => buffer.poke(),
        defer: (lease, at) => buffer.defer(lease, at),
        reportOverload: () => this.#pool?.reportOverload(),
      });

      let fatal: unknown;
      const pool = this.#createPool(buffer, taskCtx, frontier, checkpointer, (err) => {
        // Archive or checkpoint failures (disk full, broken store) stop the run: resume redoes in-flight work.
        fatal ??= err;
        this.stop();
      });
      this.#pool = pool;
      await (this.#aborted ? Promise.resolve() : pool.run());
      if (fatal) throw fatal;

      await checkpointer.close();
      outcome = this.#stopping ? 'interrupted' : 'finished';
    } finally {
      progress.stop();
      await outputs?.close();
      await net.agent.close().catch(() => {});
      await frontier.close().catch(() => {});
      await state.robotsStore?.close().catch(() => {});
    }
    const summary = await summarizeRun(paths, this.counters, started);
    await this.#finishManifest(outcome, summary);
    return { ...summary, interrupted: outcome !== 'finished', ...(seeded === undefined ? {} : { input: seeded }) };
  }

  /** Commits finished URLs and their rows (checkpointer.ts); each commit is recorded in run.json. */
  #openCheckpointer(frontier: Frontier, outputs: Outputs): Checkpointer {
    const { opts, paths } = this;
    return new Checkpointer({
      frontier,
      dataset: outputs.dataset,
      archive: outputs.archive,
      runDir: paths.root,
      worker: opts.worker,
      leaseGuardMs: Math.min(Math.floor(opts.leaseMs / 4), 60_000),
      lastSeq: outputs.last?.seq ?? 0,
      everyRecords: opts.checkpointEveryRecords,
      intervalMs: opts.checkpointIntervalMs,
      counts: () => this.counters.toRecord(),
      onCommitted: async (record, info) => {
        await outputs.search?.add(record);
        await publishFrontierSizes(frontier, this.counters.failed);
        this.counters.done += info.urls - info.duplicates;
        const manifest = this.#manifest!;
        this.#manifest = {
          ...manifest,
          updatedAt: new Date().toISOString(),
          counts: record.counts as Record<string, number>,
          checkpoints: { count: manifest.checkpoints.count + 1, last: { seq: record.seq, worker: record.worker, at: new Date(record.at).toISOString() } },
        };
        await writeManifest(paths.manifest, this.#manifest);
      },
    });
  }

  /** The autoscaled pool that runs one page task per lease until the frontier is drained or we stop. */
  #createPool(buffer: LeaseBuffer, taskCtx: TaskContext, frontier: Frontier, checkpointer: Checkpointer, onTaskError: (err: unknown) => void): AutoscaledPool {
    const { opts } = this;
    return new AutoscaledPool({
      minConcurrency: opts.minConcurrency,
      maxConcurrency: opts.maxConcurrency,
      // A crawl waits on the network: start with a few dozen tasks and double while there is
      // headroom (32 → 256 in three steps), rather than creep up from minConcurrency for seconds.
      // Memory, event-loop lag, CPU and overload still scale it down within a step.
      initialConcurrency: Math.max(opts.minConcurrency, Math.min(opts.maxConcurrency, INITIAL_CONCURRENCY)),
      scaleUpStepRatio: 1,
      isTaskReady: async () => !this.#stopping && (await buffer.hasReady()),
      runTask: async () => {
        const lease = buffer.take();
        if (lease) await runPageTask(taskCtx, lease);
      },
      isFinished: async () => {
        if (this.#stopping) return true;
        if (buffer.size > 0) return false;
        let c = await frontier.counts();
        // Nothing left to lease, nothing running, but finished URLs still wait for the checkpoint
        // timer (up to --checkpoint-interval-ms): commit them now instead of idling until then.
        if (c.pending === 0 && c.leased > 0 && checkpointer.pending > 0) {
          await checkpointer.checkpoint();
          c = await frontier.counts();
        }
        return c.pending === 0 && c.leased === 0;
      },
      onTaskError,
    });
  }

  /** run.json at the end of a session: its outcome and the committed counts. */
  async #finishManifest(outcome: string, summary: CollectSummary): Promise<void> {
    const manifest = this.#manifest!;
    this.#manifest = {
      ...manifest,
      status: outcome === 'finished' ? 'finished' : 'interrupted',
      updatedAt: new Date().toISOString(),
      counts: { ...manifest.counts, ...summary.counts },
      sessions: manifest.sessions.map((s, i) => (i === manifest.sessions.length - 1 ? { ...s, finishedAt: new Date().toISOString(), outcome } : s)),
    };
    await writeManifest(this.paths.manifest, this.#manifest);
  }

  #snapshot(started: number) {
    const c = this.counters;
    const elapsed = Math.max(0.001, (Date.now() - started) / 1000);
    const conc = this.concurrency;
    return {
      done: c.done + (this.#checkpointer?.uncommitted ?? 0),
      total: c.total,
      failed: c.failed,
      refused: c.refused,
      concurrency: conc.running,
      constraint: conc.constraint,
      pagesPerSecond: c.sessionFinished / elapsed,
      bytes: c.bytes,
    };
  }
}

function configForManifest(opts: CollectOptions): Record<string, unknown> {
  const { resolve, redis, ...rest } = opts;
  // run.json and the WARC's warcinfo are shared files: never the Redis password.
  return { ...rest, redis: redis === undefined ? undefined : redactRedisUrl(redis), resolve: resolve.map((r) => `${r.pattern}:${r.address}${r.port ? `:${r.port}` : ''}`) };
}
