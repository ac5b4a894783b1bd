import { createRequire } from 'node:module';
import { jarvixChannel } from '../channels/index.js';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { errorMessage } from '../errors/index.js';
import { StagePoolClosedError, STAGE_TIMEOUT, STAGE_WORKER_CRASHED } from './errors.js';
import { resolveStagePoolOptions, type StagePoolInput, type StagePoolOptions } from './options.js';
import { resolveStageSettings, type StageSettings, type StageSettingsInput } from './settings.js';
import type { DeadLetter, StageInput, StageResult } from './types.js';
import type { WorkerTask } from './worker.js';

/** `jarvix:stages:dead-letter` { url, stage, errorCode }: a page the stages gave up on. */
const deadLetterChannel = jarvixChannel('deadLetter');
/**
 * `jarvix:stage:start` { id, stage, url, queued, inFlight } and `jarvix:stage:end` { id, stage, url,
 * durationMs, errorCode, queued, inFlight }: one pair per page, paired by `id`; the depths are
 * pages waiting for a worker and pages accepted, for observe/.
 */
const stageStart = jarvixChannel('stageStart');
const stageEnd = jarvixChannel('stageEnd');
let lastStageId = 0;

interface Pending {
  input: StageInput;
  resolve(result: StageResult): void;
}

export interface StagePoolStats {
  pages: number;
  batches: number;
  deadLetters: number;
  timeouts: number;
  crashes: number;
  /** Batches that failed as a whole and were re-run page by page. */
  batchRetries: number;
}

/**
 * Extraction, chunking and scoring on a piscina pool of worker threads (src/stages/worker.ts).
 *
 * - Back-pressure: at most `maxQueue` pages are accepted at a time; `process()` waits for room,
 *   so a slow stage slows the fetcher instead of growing memory.
 * - Batching: pages wait here, not in piscina, and are sent only to a free worker, up to
 *   `batchMaxPages`/`batchMaxBytes` per message. When workers keep up every page goes alone at
 *   once; when they fall behind, what queued up goes together.
 * - Error policy: a batch that hangs past `taskTimeoutMs` (its worker is terminated and replaced)
 *   or whose worker dies is retried page by page; the page that fails alone is dead-lettered
 *   (JVX_ERR_STAGE_TIMEOUT / JVX_ERR_STAGE_WORKER_CRASHED), no other page is lost. An exception
 *   inside a stage is a dead letter naming that stage.
 */
export class StagePool {
  readonly #o: StagePoolOptions;
  readonly #pool: Piscina;
  readonly #pending: Pending[] = [];
  readonly #roomWaiters: Array<() => void> = [];
  readonly #idleWaiters: Array<() => void> = [];
  readonly #stats: StagePoolStats = { pages: 0, batches: 0, deadLetters: 0, timeouts: 0, crashes: 0, batchRetries: 0 };
  #admitted = 0;
  #running = 0;
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(options?: StagePoolInput) {
    this.#o = resolveStagePoolOptions(options);
    const settings = resolveStageSettings(settingsFrom(this.#o));
    const worker = workerLocation(this.#o.workerUrl);
    this.#pool = new Piscina({
      filename: worker.filename,
      execArgv: worker.execArgv,
      minThreads: this.#o.threads,
      maxThreads: this.#o.threads,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
      resourceLimits: { maxOldGenerationSizeMb: this.#o.maxWorkerMemoryMb },
      workerData: { settings } satisfies { settings: StageSettings },
    });
  }

  get options(): Readonly<StagePoolOptions> {
    return this.#o;
  }

  stats(): StagePoolStats {
    return { ...this.#stats };
  }

  /** Pages accepted and not finished yet. */
  get inFlight(): number {
    return this.#admitted;
  }

  async process(input: StageInput): Promise<StageResult> {
    if (this.#closed) throw new StagePoolClosedError();
    while (this.#admitted >= this.#o.maxQueue) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
      if (this.#closed) throw new StagePoolClosedError();
    }
    this.#admitted++;
    const id = stageStart.hasSubscribers || stageEnd.hasSubscribers ? ++lastStageId : 0;
    const startedAt = Date.now();
    if (id !== 0) stageStart.publish({ id, stage: 'analyse', url: input.url, queued: this.#pending.length, inFlight: this.#admitted });
    let errorCode: string | null = 'JVX_ERR_UNKNOWN';
    try {
      const result = await new Promise<StageResult>((resolve) => {
        this.#pending.push({ input, resolve });
        this.#pump();
      });
      this.#stats.pages++;
      errorCode = result.deadLetter?.errorCode ?? null;
      if (result.deadLetter) {
        this.#stats.deadLetters++;
        if (deadLetterChannel.hasSubscribers) deadLetterChannel.publish({ url: input.url, ...result.deadLetter });
      }
      return result;
    } finally {
      this.#admitted--;
      if (id !== 0) stageEnd.publish({ id, stage: 'analyse', url: input.url, durationMs: Date.now() - startedAt, errorCode, queued: this.#pending.length, inFlight: this.#admitted });
      this.#roomWaiters.shift()?.();
      if (this.#admitted === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  /** Finishes the pages already accepted, then stops the workers. New `process()` calls throw. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      for (const wake of this.#roomWaiters.splice(0)) wake();
      if (this.#admitted > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      await this.#pool.destroy();
    })();
    return this.#closing;
  }

  #pump(): void {
    while (this.#running < this.#o.threads && this.#pending.length > 0) {
      const batch: Pending[] = [this.#pending.shift()!];
      let bytes = batch[0]!.input.body.byteLength;
      while (batch.length < this.#o.batchMaxPages && this.#pending.length > 0) {
        const next = this.#pending[0]!;
        if (bytes + next.input.body.byteLength > this.#o.batchMaxBytes) break;
        bytes += next.input.body.byteLength;
        batch.push(this.#pending.shift()!);
      }
      this.#running++;
      void this.#runBatch(batch).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #runBatch(batch: Pending[]): Promise<void> {
    try {
      const results = await this.#dispatch(batch.map((p) => p.input));
      batch.forEach((p, i) => p.resolve(results[i] ?? crashed('worker returned no result')));
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.resolve(this.#deadLetterFor(err));
        return;
      }
    }
    // One page of the batch hung or killed its worker: find it by running the pages alone.
    this.#stats.batchRetries++;
    for (const p of batch) {
      try {
        const [result] = await this.#dispatch([p.input]);
        p.resolve(result ?? crashed('worker returned no result'));
      } catch (err) {
        p.resolve(this.#deadLetterFor(err));
      }
    }
  }

  async #dispatch(items: StageInput[]): Promise<StageResult[]> {
    this.#stats.batches++;
    // Each message gets its own copies to transfer: the caller's Buffer may share a pooled
    // ArrayBuffer (transferring would detach it) or be needed again for a retry.
    const transferList: ArrayBuffer[] = [];
    const task: WorkerTask = {
      items: items.map((it) => {
        const body = new Uint8Array(it.body.byteLength);
        body.set(it.body);
        transferList.push(body.buffer);
        return { ...it, body };
      }),
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutMarker()), this.#o.taskTimeoutMs);
    try {
      return (await this.#pool.run(task, { signal: controller.signal, transferList })) as StageResult[];
    } catch (err) {
      if (controller.signal.aborted) throw new TimeoutMarker();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  #deadLetterFor(err: unknown): { deadLetter: DeadLetter } {
    if (err instanceof TimeoutMarker) {
      this.#stats.timeouts++;
      return { deadLetter: { stage: 'extract', errorCode: STAGE_TIMEOUT, message: `page processing exceeded ${this.#o.taskTimeoutMs} ms; worker replaced` } };
    }
    this.#stats.crashes++;
    return crashed(errorMessage(err));
  }
}

class TimeoutMarker extends Error {}

function crashed(message: string): { deadLetter: DeadLetter } {
  return { deadLetter: { stage: 'extract', errorCode: STAGE_WORKER_CRASHED, message: `worker failed: ${message}` } };
}

function settingsFrom(o: StagePoolOptions): StageSettingsInput {
  const s: StageSettingsInput = {};
  if (o.profile !== undefined) s.profile = o.profile;
  if (o.chunk !== undefined) s.chunk = o.chunk;
  if (o.maxTextChars !== undefined) s.maxTextChars = o.maxTextChars;
  if (o.maxHtmlBytes !== undefined) s.maxHtmlBytes = o.maxHtmlBytes;
  if (o.chunkMinWords !== undefined) s.chunkMinWords = o.chunkMinWords;
  return s;
}

/**
 * The worker module next to this one: worker.js in dist/, worker.ts when this module itself
 * runs as TypeScript (vitest, tsx), in which case the worker registers tsx to load it.
 */
function workerLocation(custom: string | URL | null): { filename: string; execArgv: string[] } {
  let href: string;
  if (custom === null) href = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href;
  else if (custom instanceof URL) href = custom.href;
  else href = custom.startsWith('file:') ? custom : pathToFileURL(custom).href;
  if (!href.endsWith('.ts')) return { filename: href, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename: href, execArgv: ['--import', tsx] };
}
