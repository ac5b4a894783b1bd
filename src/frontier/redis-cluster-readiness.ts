/**
 * What a cluster frontier client knows of each shard's readiness, and how a lease is spread over
 * the shards. Pure: no I/O, no clock (wall-clock ages are passed in).
 *
 * Each shard's last known figures come back with every lease (and from probes): how many of its
 * hosts were ready and its lowest ready score. A lease walks the shards whose lowest score is
 * due, oldest first (so, across shards as within one, the host that has waited longest is served
 * first), and asks each for as many URLs as it has ready hosts (at least one), until `max` is
 * covered: workers take from the shards in proportion to their readiness. Whatever the figures
 * say, the shard's script decides; a wrong guess costs one call and corrects the figures.
 */
export interface ShardReadiness {
  /** Hosts ready at the last look. */
  ready: number;
  /** Lowest ready score at the last look; undefined when the shard had no ready host. */
  next: number | undefined;
  /** Wall-clock ms of the last look (0: never, or invalidated by a write of this client). */
  seenAt: number;
}

/** Shards asked at most per lease: beyond, the lease returns fewer and the caller asks again. */
export const MAX_SHARDS_PER_LEASE = 16;
/** Figures older than this (wall clock) are probed again before a lease: other workers change shards too. */
export const STALE_MS = 500;

export function staleShards(all: readonly ShardReadiness[], wallNow: number): number[] {
  const out: number[] = [];
  all.forEach((s, i) => {
    if (wallNow - s.seenAt > STALE_MS) out.push(i);
  });
  return out;
}

export function planLease(all: readonly ShardReadiness[], max: number, now: number): { shard: number; ask: number }[] {
  const due = all
    .map((s, shard) => ({ shard, s }))
    .filter(({ s }) => s.next !== undefined && s.next <= now)
    .sort((a, b) => a.s.next! - b.s.next! || a.shard - b.shard);
  const plan: { shard: number; ask: number }[] = [];
  let remaining = max;
  for (const { shard, s } of due) {
    if (remaining <= 0 || plan.length >= MAX_SHARDS_PER_LEASE) break;
    const ask = Math.min(remaining, Math.max(1, s.ready));
    plan.push({ shard, ask });
    remaining -= ask;
  }
  // Hosts may allow several requests at once: the leftover goes to the shard due first.
  if (remaining > 0 && plan.length > 0) plan[0]!.ask += remaining;
  return plan;
}

/** After a release: the host is ready again at `score` (or not at all), so the shard is due no later. */
export function noteReady(s: ShardReadiness, score: number | undefined): void {
  if (score === undefined) return;
  s.next = s.next === undefined ? score : Math.min(s.next, score);
  s.ready = Math.max(1, s.ready);
}
