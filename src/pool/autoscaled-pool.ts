import { JarvixError } from '../errors/index.js';
import { jarvixChannel } from '../channels/index.js';
import { resolvePoolOptions, type AutoscaledPoolOptions, type PoolOptions } from './pool-options.js';
import { processSampleSource, Snapshotter } from './snapshotter.js';
import { SystemStatus, type OverloadReason } from './system-status.js';

/**
 * Why desired concurrency is where it is:
 *   starting  no decision yet          growing  rising, nothing binds yet
 *   ceiling   at maxConcurrency        work     fewer tasks ready than slots (politeness, empty queue)
 *   memory | event-loop | cpu | overload   held or shrunk by that resource
 */
export type Constraint = 'starting' | 'growing' | 'ceiling' | 'work' | OverloadReason;

/** `jarvix:pool:scale` { from, to, reason, running }: one message per change of desired concurrency. */
const scaleChannel = jarvixChannel('poolScale');
/** `jarvix:pool:status` { desired, running, constraint }: every scale tick, for gauges that must not wait for a change. */
const statusChannel = jarvixChannel('poolStatus');

/**
 * Runs tasks concurrently and keeps concurrency where the machine can bear it (crawlee's
 * AutoscaledPool, done our way). It knows nothing about HTTP: tasks come from `isTaskReady` /
 * `runTask`, and callers report overload (429, 503, timeouts) through `reportOverload()`.
 *
 * Sample → judge → act: the Snapshotter samples the process every sampleIntervalMs; every
 * scaleIntervalMs the SystemStatus judges the samples taken since the last change (at most
 * windowMs back), and the pool shrinks on overload, grows fast while it uses its slots and has
 * headroom, and never passes maxConcurrency.
 */
export class AutoscaledPool {
  readonly #o: PoolOptions & { maxMemoryBytes: number; initialConcurrency: number };
  readonly #snapshotter: Snapshotter;
  readonly #status: SystemStatus;
  #desired: number;
  #running = 0;
  #constraint: Constraint = 'starting';
  #lastChangeAt = 0;
  #started = false;
  #aborted = false;
  #done = false;
  #checking = false;
  #recheck = false;
  #failure: { error: unknown } | undefined;
  #timers: NodeJS.Timeout[] = [];
  #settle: { resolve: () => void; reject: (err: unknown) => void } | undefined;
  readonly #finished: Promise<void>;
  #resolveFinished!: () => void;

  constructor(options: AutoscaledPoolOptions) {
    this.#o = resolvePoolOptions(options);
    this.#desired = this.#o.initialConcurrency;
    this.#snapshotter = new Snapshotter(() => this.#o.sampleSource ?? processSampleSource(this.#o.sampleIntervalMs), this.#o.windowMs);
    this.#status = new SystemStatus(this.#o);
    this.#finished = new Promise<void>((resolve) => {
      this.#resolveFinished = resolve;
    });
  }

  /** Tasks running now. */
  get concurrency(): number {
    return this.#running;
  }

  get desiredConcurrency(): number {
    return this.#desired;
  }

  get constraint(): Constraint {
    return this.#constraint;
  }

  /** The caller saw a sign of remote overload (429, 503, timeout); enough of them shrink the pool. */
  reportOverload(): void {
    this.#snapshotter.reportOverload();
  }

  /** Something may have become ready (a timer of the caller's fired): look for tasks now, not at the next tick. */
  notify(): void {
    if (this.#started) void this.#maybeRun();
  }

  /** Resolves when isFinished() says so with nothing running, or after abort() once running tasks end. */
  run(): Promise<void> {
    if (this.#started) return Promise.reject(new JarvixError('JVX_ERR_POOL_ALREADY_STARTED', 'AutoscaledPool.run() may be called once'));
    this.#started = true;
    const done = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    if (this.#aborted) {
      this.#finish();
      return done;
    }
    this.#lastChangeAt = Date.now();
    this.#timers.push(
      setInterval(() => this.#sample(), this.#o.sampleIntervalMs),
      setInterval(() => this.#scale(), this.#o.scaleIntervalMs),
      setInterval(() => void this.#maybeRun(), this.#o.maybeRunIntervalMs),
    );
    void this.#maybeRun();
    return done;
  }

  /** Stops starting tasks; resolves (and lets run() resolve) once the running ones have ended. */
  abort(): Promise<void> {
    this.#aborted = true;
    if (!this.#started) {
      this.#done = true;
      this.#snapshotter.close();
      this.#resolveFinished();
    } else if (this.#running === 0) {
      this.#finish();
    }
    return this.#finished;
  }

  async #maybeRun(): Promise<void> {
    if (this.#done) return;
    if (this.#checking) {
      this.#recheck = true;
      return;
    }
    this.#checking = true;
    try {
      do {
        this.#recheck = false;
        while (!this.#aborted && this.#running < this.#desired) {
          if (!(await this.#o.isTaskReady()) || this.#aborted || this.#done) break;
          this.#startTask();
        }
        if (this.#running === 0 && !this.#aborted && !this.#done && (await this.#o.isFinished())) {
          this.#finish();
          return;
        }
      } while (this.#recheck && !this.#done);
    } catch (err) {
      // isTaskReady / isFinished failing is the caller's store failing: stop, let running tasks end.
      this.#fail(err);
    } finally {
      this.#checking = false;
    }
  }

  #startTask(): void {
    this.#running++;
    let task: Promise<void>;
    try {
      task = this.#o.runTask();
    } catch (err) {
      task = Promise.reject(err);
    }
    void Promise.resolve(task)
      .catch((err: unknown) => this.#taskFailed(err))
      .finally(() => {
        this.#running--;
        this.#snapshotter.recordTaskEnd();
        if (this.#aborted) {
          if (this.#running === 0) this.#finish();
        } else {
          void this.#maybeRun();
        }
      });
  }

  #taskFailed(err: unknown): void {
    const handler = this.#o.onTaskError;
    if (!handler) return this.#fail(err);
    try {
      handler(err);
    } catch (handlerErr) {
      this.#fail(handlerErr);
    }
  }

  #fail(err: unknown): void {
    this.#failure ??= { error: err };
    this.#aborted = true;
    if (this.#running === 0) this.#finish();
  }

  #sample(): void {
    if (this.#done) return;
    this.#snapshotter.take(Date.now(), Math.min(1, this.#running / this.#desired));
  }

  #scale(): void {
    if (this.#done || this.#aborted) return;
    const now = Date.now();
    const samples = this.#snapshotter.since(Math.max(now - this.#o.windowMs, this.#lastChangeAt));
    if (samples.length < this.#o.minSamples) return;
    const verdict = this.#status.judge(samples);
    const o = this.#o;
    if (verdict.reason !== null) {
      this.#constraint = verdict.reason;
      const next = Math.max(o.minConcurrency, this.#desired - Math.max(1, Math.ceil(this.#desired * o.scaleDownStepRatio)));
      this.#change(next, verdict.reason, now);
    } else if (verdict.utilization < o.desiredUtilizationRatio) {
      this.#constraint = 'work';
    } else if (this.#desired >= o.maxConcurrency) {
      this.#constraint = 'ceiling';
    } else {
      const next = Math.min(o.maxConcurrency, this.#desired + Math.max(1, Math.ceil(this.#desired * o.scaleUpStepRatio)));
      this.#constraint = next >= o.maxConcurrency ? 'ceiling' : 'growing';
      this.#change(next, 'headroom', now);
      void this.#maybeRun();
    }
    if (statusChannel.hasSubscribers) statusChannel.publish({ desired: this.#desired, running: this.#running, constraint: this.#constraint });
  }

  #change(next: number, reason: string, now: number): void {
    if (next === this.#desired) return;
    const from = this.#desired;
    this.#desired = next;
    this.#lastChangeAt = now;
    if (scaleChannel.hasSubscribers) scaleChannel.publish({ from, to: next, reason, running: this.#running });
  }

  #finish(): void {
    if (this.#done && !this.#settle) return;
    this.#done = true;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#snapshotter.close();
    const settle = this.#settle;
    this.#settle = undefined;
    this.#resolveFinished();
    if (!settle) return;
    if (this.#failure) settle.reject(this.#failure.error);
    else settle.resolve();
  }
}
