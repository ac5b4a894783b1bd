/**
 * The static (query-independent) rank of a page, in [0, 1], and the rowid it gets. Rowids grow as
 * the rank falls (bucket of the rank in the high bits, arrival order in the low bits), so FTS5,
 * which returns matches in rowid order, hands back the best pages first and a query can stop after
 * a bounded number of candidates (docs/search.md, "Ranking").
 */
export interface RankInputs {
  /** Page score, 0..100 (src/score). */
  readonly score: number | null;
  /** Content quality, 0..1. */
  readonly quality: number | null;
  /** Link rank from the graph, as a percentile in [0, 1] among the run's pages; null without a graph. */
  readonly linkRank: number | null;
}

export const RANK_BUCKETS = 1024;
const LOW_BITS = 2 ** 32;

export function staticRank(p: RankInputs): number {
  const content = p.score !== null && Number.isFinite(p.score) ? clamp(p.score / 100) : p.quality !== null && Number.isFinite(p.quality) ? clamp(p.quality) : 0.5;
  if (p.linkRank === null) return content;
  return 0.5 * content + 0.5 * clamp(p.linkRank);
}

/** Rank bucket 0 is the best. */
export function rankBucket(rank: number): number {
  return Math.round((1 - clamp(rank)) * (RANK_BUCKETS - 1));
}

export function rowidFor(rank: number, counter: number): number {
  return rankBucket(rank) * LOW_BITS + counter;
}

/** The docs id (arrival counter) in the low bits of an FTS rowid. */
export function docIdOf(rowid: number): number {
  return rowid % LOW_BITS;
}

/** An index file holds at most this many pages (ids must fit the low bits). */
export const MAX_DOCS_PER_INDEX = LOW_BITS;

/** The best static rank any page at or after this rowid can have. */
export function rankCeilingAt(rowid: number): number {
  // Rounding put ranks within half a bucket of the bucket's centre in it.
  return Math.min(1, 1 - (Math.floor(rowid / LOW_BITS) - 0.5) / (RANK_BUCKETS - 1));
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
