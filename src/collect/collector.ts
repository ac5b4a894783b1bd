import { mkdir } from 'node:fs/promises';
import { runPaths, readManifest, writeManifest, newManifest, startSession, type RunManifest, type RunPaths } from '../run/index.js';
import { createAgent, type JarvixAgent } from '../net/index.js';
import type { Frontier } from '../frontier/types.js';
import { redactRedisUrl } from '../frontier/redis-error.js';
import { createFetcher, HostHealth, type Fetcher } from '../fetch/index.js';
import { PolicyGate } from '../policy/index.js';
import { RobotsCache, type RobotsFetchResult } from '../robots/index.js';
import { buildUserAgent } from '../url/index.js';
import { StagePool } from '../stages/index.js';
import { WarcWriter, repairWarcs } from '../warc/index.js';
import { DatasetWriter, recoverShards } from '../dataset/index.js';
import { AutoscaledPool } from '../pool/index.js';
import { VERSION } from '../version.js';
import { CheckpointIndex } from '../search/index.js';
import { Checkpointer, committedCheckpoints, committedShards } from './checkpointer.js';
import { publishFrontierSizes } from './channels.js';
import { Counters } from './counters.js';
import { HostPolicies } from './host-policies.js';
import { LeaseBuffer } from './lease-buffer.js';
import { openRunState } from './open-frontier.js';
import { sharedFetchRobots } from './robots-store.js';
import { resolveCollectOptions, type CollectOptions } from './options.js';
import { runPageTask, type TaskContext } from './page-task.js';
import { Progress } from './progress.js';
import { seedFrontier } from './seeding.js';
import { summarizeRun, type CollectSummary } from './summary.js';

export type { CollectSummary } from './summary.js';

const INITIAL_CONCURRENCY = 32;

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

  constructor(options: Partial<CollectOptions>) {
    this.opts = resolveCollectOptions(options);
    this.paths = runPaths(this.opts.dataDir, this.opts.runId);
  }

  /** First SIGINT/SIGTERM: take no new URLs, finish what is in flight, checkpoint. */
  stop(): void {
    this.#stopping = true;
    this.#buffer?.close();
    void this.#pool?.abort();
  }

  /**
   * Second signal: commit what is finished now, without waiting for in-flight fetches (their leases
   * return to the queue on resume). The caller exits the process after this resolves.
   */
  async abort(): Promise<void> {
    this.#aborted = true;
    this.stop();
    // Bounded: during a Redis outage the commit would wait for Redis; the leases return on their own.
    const done = this.#checkpointer?.checkpoint().catch(() => {});
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000).unref())]);
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
    for (const dir of [paths.root, paths.warcDir, paths.indexDir, paths.pagesDir, paths.linksDir, paths.chunksDir, paths.errorsDir]) {
      await mkdir(dir, { recursive: true });
    }
    const existing = await readManifest(paths.manifest);
    let manifest: RunManifest = startSession(existing ?? newManifest(opts.runId, configForManifest(opts)), opts.worker);
    await writeManifest(paths.manifest, manifest);

    const state = await openRunState(opts, paths, (line) => process.stderr.write(`jarvix collect [${opts.worker}]: ${line}\n`));
    const frontier: Frontier = state.frontier;
    const agent: JarvixAgent = createAgent({ resolve: opts.resolve, allowPrivate: opts.allowPrivate, connectTimeoutMs: Math.min(opts.timeoutMs, 30_000) });
    const userAgent = opts.userAgent ?? buildUserAgent({ version: VERSION, contactUrl: opts.contactUrl });
    const fetcher: Fetcher = createFetcher(agent, {
      userAgent,
      headersTimeoutMs: opts.timeoutMs,
      bodyTimeoutMs: opts.timeoutMs,
      totalTimeoutMs: opts.timeoutMs * 2,
      maxBodyBytes: opts.maxBodyBytes,
    });
    // robots.txt gets its own, shorter timeout: a host whose robots.txt hangs holds all its URLs
    // back until it answers or we give up (and then disallow the host for a while, RFC 9309).
    const robotsTimeoutMs = Math.min(opts.timeoutMs, opts.robotsTimeoutMs);
    const robotsFetcher: Fetcher = createFetcher(agent, {
      userAgent,
      headersTimeoutMs: robotsTimeoutMs,
      bodyTimeoutMs: robotsTimeoutMs,
      totalTimeoutMs: robotsTimeoutMs * 2,
      maxBodyBytes: 512 * 1024,
      maxRedirects: 5,
    });
    let archive: WarcWriter | undefined;
    let dataset: DatasetWriter | undefined;
    let stages: StagePool | null = null;
    let searchIndex: CheckpointIndex | undefined;
    const progress = new Progress(() => this.#snapshot(started), { mode: opts.progress, intervalMs: opts.progressIntervalMs });
    let outcome = 'failed';
    try {
      // Resume: cut every output back to the last commit, and return in-flight URLs to the queue.
      const mine = (await frontier.checkpoints()).filter((c) => c.worker === opts.worker);
      const last = mine.at(-1);
      await repairWarcs(paths.warcDir, paths.indexDir, opts.worker, last ? [...last.warcs] : []);
      await recoverShards(paths.root, opts.worker, committedShards(mine));
      // The search index follows the committed checkpoints: add what a crash left out (docs/search.md).
      if (opts.extract) {
        searchIndex = await CheckpointIndex.open(paths.root, opts.worker);
        await searchIndex.reconcile(committedCheckpoints(mine));
      }
      await frontier.recover({ now: Date.now(), worker: opts.worker });

      archive = await WarcWriter.open({
        dir: paths.warcDir,
        indexDir: paths.indexDir,
        run: opts.runId,
        worker: opts.worker,
        warcinfo: { 'jarvix-config': JSON.stringify(configForManifest(opts)) },
      });
      dataset = await DatasetWriter.open({ runDir: paths.root, worker: opts.worker });
      if (opts.extract) stages = new StagePool({ threads: opts.extractThreads });

      // With Redis, robots.txt is fetched by one worker and its answer shared with all (robots-store.ts).
      const store = state.robotsStore;
      const shareRobots = (fetch: (origin: string) => Promise<RobotsFetchResult>): ((origin: string) => Promise<RobotsFetchResult>) =>
        store === null ? fetch : sharedFetchRobots(store, fetch, { holdMs: robotsTimeoutMs * 3 });
      const robots = opts.respectRobots
        ? new RobotsCache({
            userAgent: 'jarvix',
            fetchRobots: shareRobots(async (origin) => {
              const res = await robotsFetcher.fetch(`${origin}/robots.txt`);
              const host = new URL(origin).hostname;
              taskCtx.robotsFetchedAt.set(host, Date.now());
              try {
                for (const ex of res.exchanges) await archive!.writeExchange(ex, { fetchDurationMs: ex.durationMs, truncated: ex.truncated });
                if (res.error) return { status: null, body: null, error: res.error.code };
                const body = res.status !== null && res.status < 300 ? await res.decodeBody() : null;
                return { status: res.status, body: body ? body.bytes.toString('utf8') : null };
              } finally {
                for (const ex of res.exchanges) await ex.body.dispose();
              }
            }),
          })
        : null;

      const checkpointer = new Checkpointer({
        frontier,
        dataset,
        archive,
        runDir: paths.root,
        worker: opts.worker,
        leaseGuardMs: Math.min(Math.floor(opts.leaseMs / 4), 60_000),
        lastSeq: last?.seq ?? 0,
        everyRecords: opts.checkpointEveryRecords,
        intervalMs: opts.checkpointIntervalMs,
        counts: () => this.counters.toRecord(),
        onCommitted: async (record, info) => {
          await searchIndex?.add(record);
          await publishFrontierSizes(frontier, this.counters.failed);
          this.counters.done += info.urls - info.duplicates;
          manifest = {
            ...manifest,
            updatedAt: new Date().toISOString(),
            counts: record.counts as Record<string, number>,
            checkpoints: { count: manifest.checkpoints.count + 1, last: { seq: record.seq, worker: record.worker, at: new Date(record.at).toISOString() } },
          };
          await writeManifest(paths.manifest, manifest);
        },
      });
      this.#checkpointer = checkpointer;

      const seeding = await seedFrontier(frontier, opts.input, { firstRun: existing === undefined, runId: opts.runId });
      if (seeding.problems.length > 0) await checkpointer.add(null, { errors: seeding.problems });
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
      const taskCtx: TaskContext = {
        frontier,
        fetcher,
        robots,
        gate: new PolicyGate({
          allowPrivate: opts.allowPrivate,
          allowDomains: opts.allowDomains,
          denyDomains: opts.denyDomains,
          allowPatterns: opts.allowPatterns,
          denyPatterns: opts.denyPatterns,
          scope: opts.follow ? opts.scope : 'any',
          maxDepth: opts.maxDepth,
        }),
        health: new HostHealth(),
        archive,
        stages,
        checkpointer,
        opts,
        counters: this.counters,
        robotsFetchedAt: new Map(),
        poke: () => buffer.poke(),
        defer: (lease, at) => buffer.defer(lease, at),
        policies: new HostPolicies(frontier),
        reportOverload: () => this.#pool?.reportOverload(),
      };

      let fatal: unknown;
      const pool = new AutoscaledPool({
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
        onTaskError: (err: unknown) => {
          // Archive or checkpoint failures (disk full, broken store) stop the run: resume redoes in-flight work.
          fatal ??= err;
          this.stop();
        },
      });
      this.#pool = pool;
      await (this.#aborted ? Promise.resolve() : pool.run());
      if (fatal) throw fatal;

      await checkpointer.close();
      outcome = this.#stopping ? 'interrupted' : 'finished';
    } finally {
      progress.stop();
      await stages?.close().catch(() => {});
      await archive?.close().catch(() => {});
      await dataset?.close().catch(() => {});
      searchIndex?.close();
      await agent.close().catch(() => {});
      await frontier.close().catch(() => {});
      await state.robotsStore?.close().catch(() => {});
    }
    const summary = await summarizeRun(paths, this.counters, started);
    manifest = {
      ...manifest,
      status: outcome === 'finished' ? 'finished' : 'interrupted',
      updatedAt: new Date().toISOString(),
      counts: { ...manifest.counts, ...summary.counts },
      sessions: manifest.sessions.map((s, i) => (i === manifest.sessions.length - 1 ? { ...s, finishedAt: new Date().toISOString(), outcome } : s)),
    };
    await writeManifest(paths.manifest, manifest);
    return { ...summary, interrupted: outcome !== 'finished' };
  }

  #snapshot(started: number) {
    const c = this.counters;
    const elapsed = Math.max(0.001, (Date.now() - started) / 1000);
    const conc = this.concurrency;
    return {
      done: c.done + (this.#checkpointer?.pending ?? 0),
      total: c.total,
      failed: c.failed,
      refused: c.refused,
      concurrency: conc.running,
      constraint: conc.constraint,
      pagesPerSecond: (c.fetched + c.failed + c.refused) / elapsed,
      bytes: c.bytes,
    };
  }
}

function configForManifest(opts: CollectOptions): Record<string, unknown> {
  const { resolve, redis, ...rest } = opts;
  // run.json and the WARC's warcinfo are shared files: never the Redis password.
  return { ...rest, redis: redis === undefined ? undefined : redactRedisUrl(redis), resolve: resolve.map((r) => `${r.pattern}:${r.address}${r.port ? `:${r.port}` : ''}`) };
}
