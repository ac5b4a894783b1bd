import { availableParallelism } from 'node:os';
import { is, resolveOptions, type Checks } from '../options/index.js';
import type { ChunkOptions } from '../chunk/index.js';
import type { ScoringProfile } from '../score/index.js';

export interface StagePoolOptions {
  /** Worker threads. Default: available parallelism - 1 (the main thread fetches), at least 1. */
  threads: number;
  /** Pages accepted and not yet finished; `process()` waits while this many are in flight. */
  maxQueue: number;
  /** A batch that runs longer is abandoned, its worker replaced, its pages retried one by one. */
  taskTimeoutMs: number;
  /** Pages sent to a worker in one message, at most. */
  batchMaxPages: number;
  /** Body bytes sent to a worker in one message, at most (a bigger page goes alone). */
  batchMaxBytes: number;
  /** V8 old-space cap per worker: a page that blows memory kills its worker, not the process. */
  maxWorkerMemoryMb: number;
  /** The worker module; only tests and custom stages change it. */
  workerUrl: string | URL | null;
  profile: ScoringProfile | undefined;
  chunk: Partial<ChunkOptions> | undefined;
  maxTextChars: number | undefined;
  maxHtmlBytes: number | undefined;
  chunkMinWords: number | undefined;
}

export type StagePoolInput = Partial<StagePoolOptions>;

export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

const obj = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);

const checks: Checks<StagePoolOptions> = {
  threads: [is.int(1, 256), 'an integer from 1 to 256'],
  maxQueue: [is.int(1, 100_000), 'an integer from 1 to 100000'],
  taskTimeoutMs: [is.int(10, 3_600_000), 'an integer of milliseconds from 10 to 3600000'],
  batchMaxPages: [is.int(1, 1000), 'an integer from 1 to 1000'],
  batchMaxBytes: [is.int(1, 1024 ** 3), 'an integer of bytes from 1 to 1 GiB'],
  maxWorkerMemoryMb: [is.int(32, 65536), 'an integer of MiB from 32 to 65536'],
  workerUrl: [(v): v is string | URL | null => v === null || typeof v === 'string' || v instanceof URL, 'a path, file URL or null'],
  profile: [(v): v is ScoringProfile | undefined => v === undefined || obj(v), 'a scoring profile object'],
  chunk: [(v): v is Partial<ChunkOptions> | undefined => v === undefined || obj(v), 'chunk options'],
  maxTextChars: [is.optional(is.int(1000)), 'an integer >= 1000'],
  maxHtmlBytes: [is.optional(is.int(1024)), 'an integer >= 1024'],
  chunkMinWords: [is.optional(is.int(0)), 'an integer >= 0'],
};

export function resolveStagePoolOptions(given?: StagePoolInput): StagePoolOptions {
  const threads = given?.threads ?? defaultThreads();
  const defaults: StagePoolOptions = {
    threads,
    maxQueue: Math.max(8, threads * 8),
    taskTimeoutMs: 30_000,
    batchMaxPages: 16,
    batchMaxBytes: 256 * 1024,
    maxWorkerMemoryMb: 512,
    workerUrl: null,
    profile: undefined,
    chunk: undefined,
    maxTextChars: undefined,
    maxHtmlBytes: undefined,
    chunkMinWords: undefined,
  };
  return resolveOptions('stagePool', defaults, checks, given);
}
