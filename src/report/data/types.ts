import type { RunManifest } from '../../run/index.js';

/** A label and a count: one bar of a chart, one row of a small table. */
export interface Bucket {
  readonly label: string;
  readonly count: number;
}

export interface RunSummary {
  /** Rows in `pages`: every URL that reached an end. */
  readonly attempted: number;
  /** No error_code: an answer was stored. */
  readonly fetched: number;
  /** An error_code that is not a refusal (timeouts, resets, HTTP errors given up on). */
  readonly failed: number;
  /** Refused by policy or robots.txt before any fetch. */
  readonly refused: number;
  readonly robotsBlocked: number;
  /** fetched / (fetched + failed); null when nothing was tried. */
  readonly successRate: number | null;
  /** Wall time of the collect sessions (run.json), else the span of fetch times; null when unknown. */
  readonly durationMs: number | null;
  readonly pagesPerSecond: number | null;
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null; readonly mean: number | null };
  /** Payload bytes stored (after content decoding). */
  readonly payloadBytes: number;
  /** Bytes transferred, from run.json counters when the collect recorded them. */
  readonly transferredBytes: number | null;
  readonly firstFetch: Date | null;
  readonly lastFetch: Date | null;
  readonly deadLetters: number;
}

export interface ScoreStats {
  readonly scored: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly median: number | null;
  /** Ten bins [0,10), [10,20) … [90,100]; a fractional score lands in its bin, never dropped. */
  readonly bins: readonly Bucket[];
  /** Scores outside 0..100 (a custom profile); counted apart so the bins still add up. */
  readonly outOfRange: number;
}

export interface ThroughputPoint {
  /** Start of the bucket, ms since the first fetch. */
  readonly offsetMs: number;
  readonly pages: number;
  readonly pagesPerSecond: number;
}

export interface Throughput {
  readonly bucketMs: number;
  readonly points: readonly ThroughputPoint[];
}

export interface TopPage {
  readonly url: string;
  readonly title: string | null;
  readonly score: number | null;
  readonly action: string | null;
  readonly confidence: number | null;
  readonly reason: string | null;
}

export interface HostRow {
  readonly host: string;
  readonly pages: number;
  readonly fetched: number;
  readonly errors: number;
  readonly robotsBlocked: number;
  readonly avgLatencyMs: number | null;
  /** Politeness delay the run applied to the host (state.sqlite, else the configured default). */
  readonly delayMs: number | null;
}

export interface ErrorClass {
  readonly code: string;
  /** 'refused' (policy, robots) or 'failed'. */
  readonly kind: 'refused' | 'failed';
  readonly count: number;
  readonly examples: readonly { readonly url: string; readonly message: string | null }[];
}

export interface DeadLetterClass {
  readonly stage: string;
  readonly code: string;
  readonly count: number;
  readonly exampleUrl: string;
}

export interface Alert {
  readonly level: 'critical' | 'warning' | 'info';
  readonly text: string;
}

/** Everything a report shows about one run, aggregated in SQL: its size never depends on the run's. */
export interface ReportData {
  readonly run: string;
  readonly generatedAt: Date;
  readonly manifest: RunManifest | null;
  readonly summary: RunSummary;
  readonly scores: ScoreStats;
  readonly actions: readonly Bucket[];
  readonly statuses: readonly Bucket[];
  readonly throughput: Throughput;
  readonly hostCount: number;
  readonly hostsByPages: readonly HostRow[];
  readonly hostsByErrors: readonly HostRow[];
  readonly topPages: readonly TopPage[];
  readonly errorClasses: readonly ErrorClass[];
  readonly deadLetters: readonly DeadLetterClass[];
  readonly flags: { readonly soft404: number; readonly paywall: number; readonly truncated: number; readonly unscoredFetched: number };
  readonly alerts: readonly Alert[];
  readonly topN: number;
}

export interface ActionTransition {
  readonly from: string;
  readonly to: string;
  readonly count: number;
}

export interface ScoreMove {
  readonly url: string;
  readonly title: string | null;
  readonly before: number | null;
  readonly after: number | null;
  readonly actionBefore: string | null;
  readonly actionAfter: string | null;
}

export interface HostChange {
  readonly host: string;
  readonly pagesBefore: number;
  readonly pagesAfter: number;
  readonly errorsBefore: number;
  readonly errorsAfter: number;
}

/** How the current run differs from a baseline run of (mostly) the same seeds. */
export interface Comparison {
  readonly baseline: string;
  readonly current: string;
  readonly before: { readonly summary: RunSummary; readonly scores: ScoreStats; readonly actions: readonly Bucket[] };
  readonly after: { readonly summary: RunSummary; readonly scores: ScoreStats; readonly actions: readonly Bucket[] };
  readonly urls: { readonly shared: number; readonly onlyBaseline: number; readonly onlyCurrent: number };
  readonly transitions: readonly ActionTransition[];
  readonly movers: readonly ScoreMove[];
  readonly hosts: readonly HostChange[];
}
