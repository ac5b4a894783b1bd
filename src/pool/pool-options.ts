import { totalmem } from 'node:os';
import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Check, type Checks } from '../options/index.js';
import type { SampleSource } from './snapshotter.js';

export interface PoolOptions {
  minConcurrency: number;
  maxConcurrency: number;
  /** Where desired concurrency starts; default minConcurrency. */
  initialConcurrency: number | undefined;
  isTaskReady(): Promise<boolean>;
  runTask(): Promise<void>;
  isFinished(): Promise<boolean>;
  /** A task's error goes here and the pool carries on; without it, the first error ends run() with a rejection. */
  onTaskError: ((err: unknown) => void) | undefined;
  /** Growth per step, as a share of desired concurrency (at least +1). */
  scaleUpStepRatio: number;
  /** Shrink per step under overload, as a share of desired concurrency (at least -1). */
  scaleDownStepRatio: number;
  /** Grow only while the pool used at least this share of its slots (else the binding constraint is work). */
  desiredUtilizationRatio: number;
  sampleIntervalMs: number;
  scaleIntervalMs: number;
  /** How far back the judge looks (never past the last change of desired concurrency). */
  windowMs: number;
  /** Samples needed since the last change before the next decision. */
  minSamples: number;
  /** How often to look for ready tasks when no task end prompted it (politeness delays expire silently). */
  maybeRunIntervalMs: number;
  /** RSS limit; default maxMemoryRatio of the machine's (or container's) memory. */
  maxMemoryBytes: number | undefined;
  maxMemoryRatio: number;
  maxHeapRatio: number;
  maxEventLoopLagMs: number;
  maxCpuRatio: number;
  maxOverloadRatio: number;
  minOverloadEvents: number;
  memoryOverloadedRatio: number;
  eventLoopOverloadedRatio: number;
  cpuOverloadedRatio: number;
  /** Readings source; default the live process. Tests inject one. */
  sampleSource: SampleSource | undefined;
}

type Required = 'minConcurrency' | 'maxConcurrency' | 'isTaskReady' | 'runTask' | 'isFinished';
export type AutoscaledPoolOptions = Pick<PoolOptions, Required> & Partial<Omit<PoolOptions, Required>>;

const noTask = async (): Promise<never> => {
  throw new Error('unset');
};
const defaults: PoolOptions = {
  minConcurrency: 1,
  maxConcurrency: 1,
  initialConcurrency: undefined,
  isTaskReady: noTask,
  runTask: noTask,
  isFinished: noTask,
  onTaskError: undefined,
  scaleUpStepRatio: 0.5,
  scaleDownStepRatio: 0.25,
  desiredUtilizationRatio: 0.9,
  sampleIntervalMs: 100,
  scaleIntervalMs: 250,
  windowMs: 2_000,
  minSamples: 2,
  maybeRunIntervalMs: 50,
  maxMemoryBytes: undefined,
  maxMemoryRatio: 0.7,
  maxHeapRatio: 0.9,
  maxEventLoopLagMs: 50,
  maxCpuRatio: 0.95,
  maxOverloadRatio: 0.2,
  minOverloadEvents: 3,
  memoryOverloadedRatio: 0.2,
  eventLoopOverloadedRatio: 0.6,
  cpuOverloadedRatio: 0.4,
  sampleSource: undefined,
};

const fn = <F>(): Check<F> => ((v: unknown): v is F => typeof v === 'function') as Check<F>;
const ratio = [is.number(0, 1), 'a number from 0 to 1'] as const;
const positiveRatio = [is.number(0.001, 1), 'a number above 0, at most 1'] as const;
const interval = [is.int(1, 3_600_000), 'an integer of milliseconds >= 1'] as const;
const checks: Checks<PoolOptions> = {
  minConcurrency: [is.int(1, 100_000), 'an integer from 1 to 100000'],
  maxConcurrency: [is.int(1, 100_000), 'an integer from 1 to 100000'],
  initialConcurrency: [is.optional(is.int(1, 100_000)), 'an integer from 1 to 100000'],
  isTaskReady: [fn(), 'a function returning Promise<boolean>'],
  runTask: [fn(), 'a function returning Promise<void>'],
  isFinished: [fn(), 'a function returning Promise<boolean>'],
  onTaskError: [is.optional(fn()), 'a function'],
  scaleUpStepRatio: [...positiveRatio],
  scaleDownStepRatio: [...positiveRatio],
  desiredUtilizationRatio: [...ratio],
  sampleIntervalMs: [...interval],
  scaleIntervalMs: [...interval],
  windowMs: [...interval],
  minSamples: [is.int(1, 1_000), 'an integer from 1 to 1000'],
  maybeRunIntervalMs: [...interval],
  maxMemoryBytes: [is.optional(is.int(1, 2 ** 53)), 'a positive integer of bytes'],
  maxMemoryRatio: [...positiveRatio],
  maxHeapRatio: [...positiveRatio],
  maxEventLoopLagMs: [is.number(0, 3_600_000), 'a number of milliseconds >= 0'],
  maxCpuRatio: [...positiveRatio],
  maxOverloadRatio: [...ratio],
  minOverloadEvents: [is.int(1, 1_000_000), 'an integer >= 1'],
  memoryOverloadedRatio: [...ratio],
  eventLoopOverloadedRatio: [...ratio],
  cpuOverloadedRatio: [...ratio],
  sampleSource: [
    is.optional(((v: unknown): v is SampleSource => typeof v === 'object' && v !== null && typeof (v as SampleSource).read === 'function') as Check<SampleSource>),
    'an object with read() and close()',
  ],
};

/** Machine memory, or the container's limit when it is lower (cgroups). */
function memoryBudgetBytes(): number {
  const total = totalmem();
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}

export function resolvePoolOptions(given: AutoscaledPoolOptions): PoolOptions & { maxMemoryBytes: number; initialConcurrency: number } {
  const o = resolveOptions('pool', defaults, checks, given);
  for (const key of ['isTaskReady', 'runTask', 'isFinished'] as const) {
    if (o[key] === noTask) throw new InvalidOptionError(`pool.${key}`, 'a function', undefined);
  }
  if (o.minConcurrency > o.maxConcurrency) throw new InvalidOptionError('pool.minConcurrency', `at most maxConcurrency (${o.maxConcurrency})`, o.minConcurrency);
  const initial = o.initialConcurrency ?? o.minConcurrency;
  if (initial < o.minConcurrency || initial > o.maxConcurrency) {
    throw new InvalidOptionError('pool.initialConcurrency', `from minConcurrency to maxConcurrency (${o.minConcurrency}..${o.maxConcurrency})`, initial);
  }
  return { ...o, initialConcurrency: initial, maxMemoryBytes: o.maxMemoryBytes ?? Math.floor(memoryBudgetBytes() * o.maxMemoryRatio) };
}
