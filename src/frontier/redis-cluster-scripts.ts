import { COMMIT, RECOVER } from './redis-lua-commit.js';
import { ADD, LEASE_BODY, RELEASE_BODY, RETRY } from './redis-lua-queue.js';
import { buildScript, CHECKPOINTS, COUNTS, GET_POLICY, INIT, REQUEUE, SET_POLICY } from './redis-scripts.js';

/**
 * Scripts of the Redis Cluster frontier (redis-cluster-frontier.ts). A run is split into shards;
 * each shard has the whole single-Redis layout of redis-scripts.ts under its own prefix
 * `jvx:{<run>:<shard>:<salt>}:` (one hash slot), and runs the same scripts on it. A host lives in
 * one shard, so its queue, politeness, slots, dedup and URL records share a slot and every script
 * stays single-slot. The run's global slot `jvx:{<run>}:` holds only what is run-wide and
 * rare: `cfg` (layout version 'c1', shard count, dedup layout) and the checkpoint records.
 *
 * FENCE. Redis moves a slot key by key (MIGRATE). A script's undeclared keys are checked one by
 * one as it runs, so a script could read half a shard, or fail half-way after writes that are
 * never rolled back. Every cluster script therefore starts, before any write, with a two-key
 * EXISTS of keys that never exist: on a slot that is MIGRATING (source) or IMPORTING (target,
 * reached through ASK) Redis refuses a multi-key command with missing keys, so the script fails
 * at once with "Script attempted to access a non local key", having changed nothing; on a slot
 * served normally it costs one command. The connection waits that out like an outage and runs
 * the script again once the slot has settled on its new primary (MOVED, followed by ioredis).
 * So a shard pauses while its own slot moves, and no script ever runs on a split shard.
 *
 * RETRY SAFETY. A call is run again after a lost reply, a failover or the fence:
 *   add, setPolicy, requeue       idempotent (dedup; same values)
 *   release                       guarded by the slot token (frees only that slot, once)
 *   retry, recover                act only on URLs still leased
 *   shard commit                  guarded: the shard remembers the worker's last (seq, digest)
 *                                 and answers a resend with its first answer
 *   commit begin / end (global)   guarded: the intent and the record are keyed by worker + seq
 *   lease                         not idempotent: a lost reply leaves its URLs leased until
 *                                 leaseUntil, then recover returns them (as for a dead worker)
 *   probe, counts, getPolicy,
 *   checkpoints                   read only
 */
const FENCE = `
redis.call('EXISTS', P .. 'fence:a', P .. 'fence:b')
`;

const shard = (name: string, body: string, guard = true) => buildScript(`cluster:${name}`, body, FENCE, guard);

/** ARGV: P, now. {hosts ready at now, lowest ready score or false, pending}. */
const PROBE = `
local z = redis.call('ZRANGE', P .. 'ready', 0, 0, 'WITHSCORES')
return { redis.call('ZCOUNT', P .. 'ready', '-inf', ARGV[2]), z[2] or false, tonumber(redis.call('HGET', P .. 'n', 'pending')) or 0 }
`;

/** LEASE plus the shard's readiness after it: …, hosts ready at now, lowest ready score or ''. */
const LEASE_READY = `${LEASE_BODY}
local z = redis.call('ZRANGE', P .. 'ready', 0, 0, 'WITHSCORES')
out[#out + 1] = redis.call('ZCOUNT', P .. 'ready', '-inf', now)
out[#out + 1] = z[2] or ''
return out
`;

/** RELEASE returning the host's new ready score ('' when it left the ready queue). */
const RELEASE_READY = `${RELEASE_BODY}
if at then return str(at) end
return ''
`;

/** Global cfg: ARGV P, version, shards, mode, expected, fpr, buckets, segments, segbits, hashes. Creates once; returns what is stored. */
const GLOBAL_INIT = `
local cfg = P .. 'cfg'
if redis.call('EXISTS', cfg) == 0 then
  redis.call('HSET', cfg, 'v', ARGV[2], 'shards', ARGV[3], 'mode', ARGV[4], 'expected', ARGV[5], 'fpr', ARGV[6],
    'buckets', ARGV[7], 'segments', ARGV[8], 'segbits', ARGV[9], 'hashes', ARGV[10])
end
return redis.call('HMGET', cfg, 'v', 'shards', 'mode', 'expected', 'fpr', 'buckets', 'segments', 'segbits', 'hashes')
`;

/**
 * First step of a commit, in the global slot. ARGV: P, worker, seq, record JSON, digest, ids joined by ','.
 * Returns {'done', duplicates} for a resend of a finished commit; {'go'} once the intent
 * (cpi[worker] = seq \n digest \n record \n ids) is stored; {'roll', intent} when an older
 * intent of this worker is unfinished (its process died between shards): the client finishes
 * that one first.
 */
const COMMIT_BEGIN = `
local worker, seq, json, digest = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local last = tonumber(redis.call('HGET', P .. 'cps', worker))
if last then
  if seq == last and redis.call('HGET', P .. 'cpl', worker) == json and redis.call('HGET', P .. 'cpk', worker) == digest then
    return { 'done', redis.call('HGET', P .. 'cpd', worker) or '' }
  end
  if seq <= last then
    return redis.error_reply('JVX_ERR_FRONTIER_CHECKPOINT_ORDER checkpoint ' .. ARGV[3] .. ' of worker ' .. worker .. ' is not after its last one (' .. last .. ')')
  end
end
local intent = ARGV[3] .. '\\n' .. digest .. '\\n' .. json .. '\\n' .. ARGV[6]
local open = redis.call('HGET', P .. 'cpi', worker)
if open and open ~= intent then return { 'roll', open } end
redis.call('HSET', P .. 'cpi', worker, intent)
return { 'go' }
`;

/** Last step: ARGV P, worker, seq, record JSON, digest, duplicates. Stores the record, drops the intent; a resend gets the first answer. */
const COMMIT_END = `
local worker, seq, json, digest = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HGET', P .. 'cps', worker) == seq and redis.call('HGET', P .. 'cpk', worker) == digest then
  return redis.call('HGET', P .. 'cpd', worker) or ''
end
redis.call('RPUSH', P .. 'cp', json)
redis.call('HSET', P .. 'cpl', worker, json)
redis.call('HSET', P .. 'cps', worker, seq)
redis.call('HSET', P .. 'cpk', worker, digest)
redis.call('HSET', P .. 'cpd', worker, ARGV[6])
redis.call('HDEL', P .. 'cpi', worker)
return ARGV[6]
`;

/** ARGV: P, id…. Fails with UNKNOWN_ID for an id that was never added; changes nothing. */
const KNOWN = `
for i = 2, #ARGV do
  if redis.call('EXISTS', P .. 'u:' .. ARGV[i]) == 0 and not isDone(ARGV[i]) then return unknown(ARGV[i]) end
end
return 1
`;

/** ARGV: P, worker. The worker's unfinished intent, or false. */
const OPEN_INTENT = `
return redis.call('HGET', P .. 'cpi', ARGV[2])
`;

export const CLUSTER_SCRIPTS = {
  init: shard('init', INIT, false),
  requeue: shard('requeue', REQUEUE),
  add: shard('add', ADD),
  lease: shard('lease', LEASE_READY),
  release: shard('release', RELEASE_READY),
  retry: shard('retry', RETRY),
  commit: shard('commit', COMMIT),
  recover: shard('recover', RECOVER),
  setPolicy: shard('setPolicy', SET_POLICY),
  getPolicy: shard('getPolicy', GET_POLICY),
  probe: shard('probe', PROBE),
  counts: shard('counts', COUNTS),
  globalInit: shard('globalInit', GLOBAL_INIT, false),
  commitBegin: shard('commitBegin', COMMIT_BEGIN),
  commitEnd: shard('commitEnd', COMMIT_END),
  openIntent: shard('openIntent', OPEN_INTENT),
  known: shard('known', KNOWN),
  checkpoints: shard('checkpoints', CHECKPOINTS),
} as const;

/** Layout version of a cluster run, stored in the global cfg.v (a single-Redis run has '1'). */
export const CLUSTER_LAYOUT_VERSION = 'c1';
