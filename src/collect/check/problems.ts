/** One thing wrong in a run folder, as `jarvix check` reports it (docs/check.md lists the codes). */
export interface CheckProblem {
  readonly code: string;
  /** Run-relative path of the file concerned. */
  readonly file: string;
  readonly detail: string;
  /** The URL whose row or record is concerned, when there is one. */
  readonly url?: string;
}

export const PROBLEM = {
  shardMissing: 'JVX_ERR_CHECK_SHARD_MISSING',
  shardUnreadable: 'JVX_ERR_CHECK_SHARD_UNREADABLE',
  warcMissing: 'JVX_ERR_CHECK_WARC_MISSING',
  warcShort: 'JVX_ERR_CHECK_WARC_SHORT',
  recordUnreadable: 'JVX_ERR_CHECK_RECORD_UNREADABLE',
  indexMismatch: 'JVX_ERR_CHECK_INDEX_MISMATCH',
} as const;

/** Where a long check is: phase, items done of total. */
export type CheckProgress = (phase: string, done: number, total: number) => void;

/** Problems kept in memory are capped; the count goes on. */
export class ProblemList {
  readonly items: CheckProblem[] = [];
  count = 0;
  constructor(readonly max = 10_000) {}
  add(p: CheckProblem): void {
    this.count++;
    if (this.items.length < this.max) this.items.push(p);
  }
}
