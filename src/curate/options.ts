import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Checks } from '../options/index.js';
import { defaultThreads } from '../stages/index.js';
import type { ScoringProfile } from '../score/index.js';

export interface CurateOptions {
  /** Data directory holding runs/. */
  dataDir: string;
  runId: string;
  /** Worker threads for extraction, chunking and scoring. */
  threads: number;
  /** Pages being read, decoded or analysed at once (and so in memory). Default: threads × 8. */
  inFlightPages: number;
  /** Rows (all tables) buffered before a staged shard set is written. */
  stageEveryRows: number;
  /** ...or about this many value bytes. */
  stageEveryBytes: number;
  /** Scoring profile for the score columns; the default profile when omitted (as collect). */
  profile: ScoringProfile | undefined;
}

export interface ScoreRunOptions {
  dataDir: string;
  runId: string;
  profile: ScoringProfile | undefined;
  stageEveryRows: number;
  stageEveryBytes: number;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;
const isProfile = (v: unknown): v is ScoringProfile | undefined => v === undefined || (v !== null && typeof v === 'object' && !Array.isArray(v));

const common: Checks<Pick<ScoreRunOptions, 'dataDir' | 'runId' | 'stageEveryRows' | 'stageEveryBytes' | 'profile'>> = {
  dataDir: [is.nonEmptyString, 'a folder path'],
  runId: [(v: unknown): v is string => typeof v === 'string' && RUN_ID.test(v), "a run id of 1-128 letters, digits, '-' and '_'"],
  stageEveryRows: [is.int(1, 10_000_000), 'an integer from 1 to 10000000'],
  stageEveryBytes: [is.int(1024, 2 ** 31 - 1), 'an integer of bytes from 1024 to 2^31-1'],
  profile: [isProfile, 'a scoring profile object'],
};

const curateChecks: Checks<CurateOptions> = {
  ...common,
  threads: [is.int(1, 256), 'an integer from 1 to 256'],
  inFlightPages: [is.int(1, 100_000), 'an integer from 1 to 100000'],
};

const scoreChecks: Checks<ScoreRunOptions> = { ...common };

const base = { dataDir: './data', runId: '', stageEveryRows: 50_000, stageEveryBytes: 32 << 20, profile: undefined };

export function resolveCurateOptions(given: Partial<CurateOptions>): CurateOptions {
  const threads = given.threads ?? defaultThreads();
  const o = resolveOptions('curate', { ...base, threads, inFlightPages: threads * 8 }, curateChecks, given);
  return requireRun('curate', o);
}

export function resolveScoreRunOptions(given: Partial<ScoreRunOptions>): ScoreRunOptions {
  return requireRun('score', resolveOptions('score', base, scoreChecks, given));
}

function requireRun<T extends { runId: string }>(scope: string, o: T): T {
  if (o.runId === '') throw new InvalidOptionError(`${scope}.runId`, common.runId[1], o.runId);
  return o;
}
