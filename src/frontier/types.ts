/**
 * The crawl frontier: every URL of a run, its state, and per-host politeness state.
 * One interface, two implementations (SQLite embedded default, Redis for scale-out),
 * one conformance suite (test/frontier/conformance.ts) run against both.
 *
 * URL life cycle:  pending --lease--> leased --commit--> done
 *                        ^--retry------/  \--(lease expires / recover)--> pending
 * A URL is `done` only when a checkpoint that holds its output row commits
 * (docs/design.md, "Delivery guarantee"), so `commit` takes the checkpoint record and stores
 * both atomically.
 */

/** Politeness key: the URL's lowercase hostname (port ignored). */
export type HostKey = string;

export interface FrontierAdd {
  /** Already normalized (src/url/normalize.ts). */
  readonly url: string;
  /** Link hops from a seed; seeds are 0. */
  readonly depth: number;
  /** Higher is leased first within a host. Default 0. */
  readonly priority?: number;
}

export interface LeasedUrl {
  /** Stable id of the URL within the run (string so Redis and SQLite agree). */
  readonly id: string;
  readonly url: string;
  readonly host: HostKey;
  readonly depth: number;
  /** Fetch attempts made before this lease. */
  readonly attempts: number;
  /** Epoch ms when the lease expires and the URL returns to pending. */
  readonly leaseUntil: number;
  /**
   * Opaque token of the host concurrency slot this lease holds; pass it to `releaseHost`.
   * Unique per lease (the same URL leased again after its lease expired gets a new one).
   */
  readonly slot?: string;
}

export interface HostPolicy {
  /** Concurrent requests allowed to the host across the whole run (all workers). */
  readonly maxConcurrent: number;
  /** Minimum gap between the end of one request and the start of the next, ms. */
  readonly delayMs: number;
}

export interface CheckpointRecord {
  /** Monotonic per worker. */
  readonly seq: number;
  readonly worker: string;
  readonly at: number;
  /** Final names of the Parquet shards this checkpoint makes visible, relative to the run folder. */
  readonly shards: readonly string[];
  /** For each WARC file of this worker, the byte length that is committed (whole records only). */
  readonly warcs: readonly { readonly file: string; readonly length: number }[];
  /** Free-form counters for run.json (fetched, failed, bytes...). */
  readonly counts: Readonly<Record<string, number>>;
}

export interface FrontierCounts {
  readonly pending: number;
  readonly leased: number;
  readonly done: number;
  readonly total: number;
}

export interface Frontier {
  /** Adds URLs not seen before in this run (exact dedup); returns how many were new. Idempotent. */
  add(urls: readonly FrontierAdd[]): Promise<number>;

  /**
   * Leases up to `max` pending URLs whose host is ready: fewer than `maxConcurrent` of the
   * host's URLs in flight and `readyAt <= now`, and the URL's own `notBefore <= now`.
   * Each lease counts against its host's concurrency until `releaseHost`.
   * Higher priority first within a host; hosts that have waited longest first.
   */
  lease(max: number, options: { now: number; leaseMs: number; worker: string }): Promise<LeasedUrl[]>;

  /**
   * The request to this host has ended (any outcome): frees one concurrency slot and makes
   * the host ready no earlier than `readyAt` (now + delay, or a Retry-After, or a backoff).
   * `readyAt` never moves a host's readiness earlier than a previous release set it.
   * `slot` (optional, recommended: `LeasedUrl.slot`) names the lease whose request ended, so
   * exactly its slot is freed; without it the host's oldest slot is. A slot already freed by
   * `recover` (the lease expired) is not freed again, so a late release from a slow worker never
   * lets a host exceed `maxConcurrent`.
   */
  releaseHost(host: HostKey, readyAt: number, slot?: string): Promise<void>;

  /**
   * Puts a leased URL back to pending for another attempt, not before `notBefore`, and counts the
   * attempt (`LeasedUrl.attempts`). Its host slot stays taken until `releaseHost`. A URL that is
   * no longer leased (done, or already returned by `recover`) is left as it is.
   */
  retry(id: string, notBefore: number): Promise<void>;

  /** Sets a host's politeness (defaults apply to hosts never set). */
  setHostPolicy(host: HostKey, policy: HostPolicy): Promise<void>;
  getHostPolicy(host: HostKey): Promise<HostPolicy>;

  /**
   * Atomically: marks these leased URLs done and stores the checkpoint record.
   * A URL already done (another worker won a race after a lease expired) stays done once;
   * the returned list names those duplicates so the caller can account for them.
   */
  commit(ids: readonly string[], checkpoint: CheckpointRecord): Promise<{ duplicates: string[] }>;

  /** The last committed checkpoint of a worker, for resume. */
  lastCheckpoint(worker: string): Promise<CheckpointRecord | undefined>;
  /** Every committed checkpoint, oldest first (for run.json and reports). */
  checkpoints(): Promise<CheckpointRecord[]>;

  /**
   * Returns expired leases (leaseUntil < now) to pending, and frees their host slots.
   * With `worker`, returns all of that worker's leases regardless of expiry (resume after a crash).
   */
  recover(options: { now: number; worker?: string }): Promise<number>;

  /**
   * Earliest time any pending URL could be leased, or undefined when nothing is pending.
   * `Infinity` when URLs are pending but every host that has them is at its concurrency limit:
   * only a `releaseHost` or `recover` can make one ready (clamp before using it as a timer).
   */
  nextReadyAt(): Promise<number | undefined>;

  counts(): Promise<FrontierCounts>;
  close(): Promise<void>;
}
