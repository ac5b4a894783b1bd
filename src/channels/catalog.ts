import { channel, type Channel } from 'node:diagnostics_channel';

/**
 * Every `node:diagnostics_channel` name jarvix publishes on, with the payload each carries, at the
 * bottom of the stack (as undici's lib/core/diagnostics.js): publishers get their channel objects
 * from `jarvixChannel(key)` and observe/ subscribes by the same keys, so a name is written once.
 * Core code publishes only when `hasSubscribers`. Start/end pairs carry an `id` unique per publisher in the
 * process; spans are keyed on it. Parent/child links between pairs go through the URL.
 */
export const CHANNELS = {
  // src/fetch
  fetchStart: 'jarvix:fetch:start',
  fetchHop: 'jarvix:fetch:hop',
  fetchEnd: 'jarvix:fetch:end',
  fetchRetry: 'jarvix:fetch:retry',
  hostBackoff: 'jarvix:host:backoff',
  // src/robots
  robotsStart: 'jarvix:robots:start',
  robotsDecision: 'jarvix:robots:decision',
  // src/collect (published by the collector)
  politenessStart: 'jarvix:politeness:wait:start',
  politenessEnd: 'jarvix:politeness:wait:end',
  frontierSizes: 'jarvix:frontier:sizes',
  checkpoint: 'jarvix:checkpoint:commit',
  // src/warc
  warcWriteStart: 'jarvix:warc:write:start',
  warcWriteEnd: 'jarvix:warc:write:end',
  warcRotate: 'jarvix:warc:rotate',
  // src/stages (the collector publishes its own decode failures on deadLetter too)
  stageStart: 'jarvix:stage:start',
  stageEnd: 'jarvix:stage:end',
  deadLetter: 'jarvix:stages:dead-letter',
  // src/pool
  poolScale: 'jarvix:pool:scale',
  poolStatus: 'jarvix:pool:status',
  // src/dataset, src/frontier
  datasetStage: 'jarvix:dataset:stage',
  redis: 'jarvix:frontier:redis',
  // src/curate
  curateProgress: 'jarvix:curate:progress',
  curateSwap: 'jarvix:curate:swap',
} as const;

export type ChannelKey = keyof typeof CHANNELS;

export interface FetchStartMessage { id: number; url: string; method: string }
export interface FetchHopMessage { id: number; url: string; status: number; durationMs: number; bytes: number; truncated: string | null }
export interface FetchEndMessage {
  id: number;
  url: string;
  finalUrl: string;
  status: number | null;
  errorCode: string | null;
  durationMs: number;
  hops: number;
  truncated: string | null;
}
export interface FetchRetryMessage { url: string; attempt: number; delayMs: number; errorCode: string }
export interface HostBackoffMessage { host: string; failures: number; backoffMs: number; gaveUp: boolean }
export interface RobotsStartMessage { id: number; url: string }
export interface RobotsDecisionMessage { id: number; url: string; allowed: boolean; source: string; crawlDelayMs: number | null; durationMs: number }
/** Published by collect before it sleeps for a host's delay; `id` pairs it with the end. */
export interface PolitenessStartMessage { id: number; url: string; host: string; delayMs: number }
export interface PolitenessEndMessage { id: number; url: string; host: string; waitedMs: number }
/** Published by collect whenever it reads the frontier's counts (e.g. on each progress tick). */
export interface FrontierSizesMessage { pending: number; leased: number; done: number; failed: number }
export interface CheckpointMessage { seq: number; worker: string; urls: number; shards: number; durationMs: number }
export interface WarcWriteStartMessage { id: number; url: string }
export interface WarcWriteEndMessage { id: number; url: string; file: string | null; bytes: number; revisit: boolean; errorCode: string | null }
export interface WarcRotateMessage { file: string; bytes: number }
export interface StageStartMessage { id: number; stage: string; url: string; queued: number; inFlight: number }
export interface StageEndMessage { id: number; stage: string; url: string; durationMs: number; errorCode: string | null; queued: number; inFlight: number }
export interface DeadLetterMessage { url: string; stage: string; errorCode: string; message?: string }
export interface PoolScaleMessage { from: number; to: number; reason: string; running: number }
export interface PoolStatusMessage { desired: number; running: number; constraint: string }
export interface DatasetStageMessage { seq: number; worker: string; shards: readonly string[]; rows: number; bytes: number; durationMs: number }
export interface RedisMessage { event: 'up' | 'down'; endpoint: string; run: string; error?: string }
/** Published by curate after each page it re-derived. */
export interface CurateProgressMessage { pages: number }
/** Published by curate's swap: the marker written, each table swapped, done. */
export interface CurateSwapMessage { phase: 'marker' | 'table' | 'done'; table?: string }

/** Payload type of each channel, so handlers are typed by the key they subscribe to. */
export interface ChannelMessages {
  fetchStart: FetchStartMessage;
  fetchHop: FetchHopMessage;
  fetchEnd: FetchEndMessage;
  fetchRetry: FetchRetryMessage;
  hostBackoff: HostBackoffMessage;
  robotsStart: RobotsStartMessage;
  robotsDecision: RobotsDecisionMessage;
  politenessStart: PolitenessStartMessage;
  politenessEnd: PolitenessEndMessage;
  frontierSizes: FrontierSizesMessage;
  checkpoint: CheckpointMessage;
  warcWriteStart: WarcWriteStartMessage;
  warcWriteEnd: WarcWriteEndMessage;
  warcRotate: WarcRotateMessage;
  stageStart: StageStartMessage;
  stageEnd: StageEndMessage;
  deadLetter: DeadLetterMessage;
  poolScale: PoolScaleMessage;
  poolStatus: PoolStatusMessage;
  datasetStage: DatasetStageMessage;
  redis: RedisMessage;
  curateProgress: CurateProgressMessage;
  curateSwap: CurateSwapMessage;
}

/**
 * The channel object of a catalogued name. `Channel` lookups by name return the same object, so
 * publishers may call this at module load; the key is the only spelling of the name in src/.
 */
export function jarvixChannel<K extends ChannelKey>(key: K): Channel<ChannelMessages[K]> {
  return channel(CHANNELS[key]) as Channel<ChannelMessages[K]>;
}

/** `at`: when the message was published, epoch milliseconds (handlers may run a little later, in a batch). */
export type Handlers = { [K in ChannelKey]?: (message: ChannelMessages[K], at: number) => void };
