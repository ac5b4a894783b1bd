import calculateSlot from 'cluster-key-slot';
import { hash32 } from '../hash/index.js';

/**
 * How a cluster run is cut into shards (see redis-cluster-scripts.ts for what a shard holds).
 *
 * Shard tags are chosen so that shard i's hash slot lies in the i-th of `shards` equal ranges of
 * the 16384 slots: `<run>:<i>:<salt>` with the smallest salt that lands there (CRC16 is cheap to
 * search, ~`shards` tries each). `redis-cli --cluster create` and `rebalance` give each primary a
 * contiguous, equal share of the slots, so the shards, and with them the hosts, spread evenly
 * over the primaries; with random tags 64 shards on 3 primaries would be ±18% uneven (1 sigma).
 *
 * A host picks its shard by a hash of its name, so a host's keys all live in one slot. URL ids
 * and slot tokens carry their shard: global = local × shards + shard, still a plain decimal
 * integer below 2^53 (local ids up to 2^53 / shards, 1.4·10^14 for 64 shards).
 */
export const SLOTS = 16_384;
export const DEFAULT_SHARDS = 64;
export const MAX_SHARDS = 1_024;

export interface ShardLayout {
  readonly shards: number;
  /** Key prefix of each shard, `jvx:{<run>:<i>:<salt>}:`. */
  readonly prefixes: readonly string[];
  /** Hash slot of each shard. */
  readonly slots: readonly number[];
}

export function shardLayout(run: string, shards: number): ShardLayout {
  const prefixes: string[] = [];
  const slots: number[] = [];
  for (let i = 0; i < shards; i++) {
    const lo = Math.floor((i * SLOTS) / shards);
    const hi = Math.floor(((i + 1) * SLOTS) / shards);
    for (let salt = 0; ; salt++) {
      const tag = `${run}:${i}:${salt}`;
      const slot = calculateSlot(tag);
      if (slot >= lo && slot < hi) {
        prefixes.push(`jvx:{${tag}}:`);
        slots.push(slot);
        break;
      }
    }
  }
  return { shards, prefixes, slots };
}

export function hostShard(host: string, shards: number): number {
  return hash32(host) % shards;
}

export function globalId(local: number, shard: number, shards: number): string {
  return String(local * shards + shard);
}

export function splitId(id: number, shards: number): { shard: number; local: string } {
  const shard = id % shards;
  return { shard, local: String((id - shard) / shards) };
}
