import { hash } from 'node:crypto';

/**
 * Shared dedup of a Redis run: which URLs were ever added. Two layouts, chosen when the run is
 * created and stored with it (every worker must use the same one):
 *
 * exact  Fingerprint sets. A URL's SHA-256 picks one of `buckets` SETs (power of two) and adds a
 *        signed 64-bit integer from other digest bits. Sized for ~256 members a bucket at
 *        `expectedUrls`, so each bucket stays in Redis' compact intset encoding (8 bytes a member,
 *        up to `set-max-intset-entries`, 512 by default) and costs ~9 bytes a URL all in. Past ~2x
 *        `expectedUrls`, buckets convert to hashtables (~50 bytes a member): more memory, same
 *        answers. Distinct URLs are told apart unless their 64 + log2(buckets) fingerprint bits
 *        collide: probability ≈ n² / 2^(65 + log2 buckets), e.g. 5e-10 for 100M URLs sized for
 *        100M (2^19 buckets); below any other failure rate of a crawl, but not zero.
 * bloom  A Bloom filter in bitmaps of at most 2 MiB (`segments` keys, so no single huge key),
 *        with m = -n ln p / ln² 2 bits and k = round(m/n ln 2) hashes for n = `expectedUrls` and
 *        p = `falsePositiveRate`: 1.44 log2(1/p) bits a URL (1.2 bytes at 1%, 1.8 at 0.1%),
 *        reaching full size within the first few thousand URLs. A false positive drops a new URL
 *        unseen (never crawled); the rate grows past p beyond `expectedUrls` URLs. Never a false
 *        negative.
 *
 * The client computes the digest and sends only bucket + member or segment + bit positions; the
 * add script tests-and-sets them atomically, so concurrent workers agree on which add was new.
 */
export type DedupMode = 'exact' | 'bloom';

export interface DedupLayout {
  readonly mode: DedupMode;
  readonly expectedUrls: number;
  /** bloom: target false-positive rate at `expectedUrls`; exact: 0. */
  readonly falsePositiveRate: number;
  /** exact: number of fingerprint SETs. */
  readonly buckets: number;
  /** bloom: bitmap keys, bits in each, hash functions. */
  readonly segments: number;
  readonly segmentBits: number;
  readonly hashes: number;
}

const BUCKET_TARGET = 256;
const MAX_BUCKETS = 2 ** 24;
const MAX_SEGMENT_BITS = 2 ** 24;

export function planDedup(mode: DedupMode, expectedUrls: number, falsePositiveRate: number): DedupLayout {
  if (mode === 'exact') {
    let buckets = 16;
    while (buckets < MAX_BUCKETS && buckets * BUCKET_TARGET < expectedUrls) buckets *= 2;
    return { mode, expectedUrls, falsePositiveRate: 0, buckets, segments: 0, segmentBits: 0, hashes: 0 };
  }
  const bits = Math.ceil((-expectedUrls * Math.log(falsePositiveRate)) / Math.LN2 ** 2);
  const hashes = Math.max(1, Math.round((bits / expectedUrls) * Math.LN2));
  const segments = Math.max(1, Math.ceil(bits / MAX_SEGMENT_BITS));
  const segmentBits = Math.ceil(bits / segments / 8) * 8;
  return { mode, expectedUrls, falsePositiveRate, buckets: 0, segments, segmentBits, hashes };
}

/** Theoretical false-positive rate of a Bloom layout holding `n` URLs (exact: 0). */
export function bloomRateAt(layout: DedupLayout, n: number): number {
  if (layout.mode !== 'bloom') return 0;
  const m = layout.segments * layout.segmentBits;
  return (1 - Math.exp((-layout.hashes * n) / m)) ** layout.hashes;
}

/** Pushes the dedup arguments of one URL for the add script: exact `bucket member`, bloom `segment pos…`. */
export function pushDedupArgs(layout: DedupLayout, url: string, out: string[]): void {
  const d = hash('sha256', url, 'buffer');
  if (layout.mode === 'exact') {
    out.push(String(d.readUInt32BE(0) & (layout.buckets - 1)), d.readBigInt64BE(8).toString());
    return;
  }
  out.push(String(d.readUInt32BE(0) % layout.segments));
  // Enhanced double hashing (Dillinger & Manolios): k positions from two 32-bit hashes, no
  // correlation between them for small m. All terms stay below 2^53, so doubles are exact.
  const h1 = d.readUInt32BE(4);
  const h2 = d.readUInt32BE(8);
  const m = layout.segmentBits;
  for (let i = 0; i < layout.hashes; i++) out.push(String((h1 + i * h2 + (i * i * i - i) / 6) % m));
}

