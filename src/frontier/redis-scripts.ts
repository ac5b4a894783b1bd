import { COMMIT, RECOVER } from './redis-lua-commit.js';
import { ADD, LEASE, RELEASE, RETRY } from './redis-lua-queue.js';

/**
 * The Lua scripts of the Redis frontier. Every call that must be atomic across workers is one
 * script (Redis runs a script alone), so politeness, leases and commits hold with any number of
 * workers. Scripts check everything before their first write: Redis does not roll back the writes
 * of a script that fails half-way.
 *
 * Key layout, P = `jvx:{<run>}:` (the braces are a Cluster hash tag: a run's keys share one slot,
 * which multi-key scripts need; scripts build keys from P, passed as ARGV[1] beside KEYS[1] = P..'n'):
 *   cfg            HASH  layout version, dedup layout, run-wide default policy (dmc, ddl)
 *   n              HASH  counters: id (last URL id), slot (last slot token), pending, leased, done
 *   x:<b>          SET   exact dedup bucket of 64-bit fingerprints      (redis-dedup.ts)
 *   bf:<s>         STRING Bloom filter segment                          (redis-dedup.ts)
 *   u:<id>         HASH  a pending or leased URL: url h(ost) d(epth) k(-priority) s(tate 0
 *                        pending, 1 leased), and once needed a(ttempts) nb (notBefore of its last
 *                        retry) o(wner) lu (leaseUntil).
 *                        Deleted when done: memory follows the frontier, not the crawl. An id up
 *                        to n.id without a record is done (ids are never reused).
 *   q:<host>       ZSET  pending URLs ready to go, score -priority, member the id zero-padded to
 *                        16 digits so equal priorities pop in insertion order
 *   w:<host>       ZSET  retried URLs waiting for notBefore (score); moved to q once due
 *   h:<host>       HASH  r (readyAt), mc / dl (own policy, absent = run default)
 *   hosts          SET   every host (requeue after a default policy change)
 *   hs:<host>      ZSET  the host's concurrency slots in use, score leaseUntil, member padded token
 *   sh             HASH  slot token → host "\n" worker
 *   se             ZSET  slot token by leaseUntil (recover)
 *   sw:<worker>    SET   a worker's slot tokens (recover {worker})
 *   le             ZSET  leased URL id by leaseUntil (recover)
 *   lw:<worker>    SET   a worker's leased URL ids (recover {worker})
 *   ready          ZSET  hosts that can give out a URL, score = the earliest time it can:
 *                        absent when nothing is pending or every slot is taken; else readyAt if q
 *                        has URLs, else max(readyAt, earliest notBefore in w). lease() walks it
 *                        from the lowest score, so it never scans idle or saturated hosts.
 *   cp             LIST  every checkpoint record (JSON), oldest first
 *   cpl/cps/cpk/cpd HASH worker → last record / seq / digest of its ids / its duplicates, so a
 *                        commit resent after a lost reply is recognised and answered the same.
 */

const PRELUDE = `
local P = ARGV[1]
local function pad(n) return string.format('%016.0f', n) end
local function str(n) return string.format('%.0f', n) end
local DMC = nil
local function defMax()
  if not DMC then DMC = tonumber(redis.call('HGET', P .. 'cfg', 'dmc')) or 1 end
  return DMC
end
-- A host's maxConcurrent and readyAt; readyAt is nil for a host never added nor given a policy.
local function hostState(host)
  local h = redis.call('HMGET', P .. 'h:' .. host, 'mc', 'r')
  return tonumber(h[1]) or defMax(), tonumber(h[2])
end
-- Puts the host in the ready queue at the earliest time it can give out a URL, or takes it out.
-- mc, r, inFlight: pass what the caller already read (each saves a command on the hot path).
local function requeue(host, mc, r, inFlight)
  if not mc then mc, r = hostState(host) end
  inFlight = inFlight or redis.call('ZCARD', P .. 'hs:' .. host)
  local at = nil
  if inFlight < mc then
    r = r or 0
    if redis.call('ZCARD', P .. 'q:' .. host) > 0 then
      at = r
    else
      local w = redis.call('ZRANGE', P .. 'w:' .. host, 0, 0, 'WITHSCORES')
      if w[2] then at = math.max(r, tonumber(w[2])) end
    end
  end
  if at then redis.call('ZADD', P .. 'ready', at, host) else redis.call('ZREM', P .. 'ready', host) end
  return at
end
-- Frees a concurrency slot; v = its sh entry when the caller read it. Returns the slot's host.
local function freeSlot(slot, v)
  v = v or redis.call('HGET', P .. 'sh', slot)
  if not v then
    redis.call('ZREM', P .. 'se', slot)
    return nil
  end
  local nl = string.find(v, '\\n', 1, true)
  local host, worker = string.sub(v, 1, nl - 1), string.sub(v, nl + 1)
  redis.call('HDEL', P .. 'sh', slot)
  redis.call('ZREM', P .. 'se', slot)
  redis.call('SREM', P .. 'sw:' .. worker, slot)
  redis.call('ZREM', P .. 'hs:' .. host, pad(tonumber(slot)))
  return host
end
local function isDone(id)
  local n = tonumber(id)
  return n ~= nil and n >= 1 and n <= (tonumber(redis.call('HGET', P .. 'n', 'id')) or 0)
end
local function unknown(id) return redis.error_reply('JVX_ERR_FRONTIER_UNKNOWN_ID ' .. id) end
`;

/** ARGV: P, version, mode, expectedUrls, fpRate, buckets, segments, segmentBits, hashes, dmc, ddl. Returns cfg + old dmc. */
export const INIT = `
local cfg = P .. 'cfg'
if redis.call('EXISTS', cfg) == 0 then
  redis.call('HSET', cfg, 'v', ARGV[2], 'mode', ARGV[3], 'expected', ARGV[4], 'fpr', ARGV[5],
    'buckets', ARGV[6], 'segments', ARGV[7], 'segbits', ARGV[8], 'hashes', ARGV[9])
end
local old = redis.call('HGET', cfg, 'dmc') or ''
redis.call('HSET', cfg, 'dmc', ARGV[10], 'ddl', ARGV[11])
return { old, unpack(redis.call('HMGET', cfg, 'v', 'mode', 'expected', 'fpr', 'buckets', 'segments', 'segbits', 'hashes')) }
`;

/** ARGV: P, host… Recomputes each host's place in the ready queue. */
export const REQUEUE = `
for i = 2, #ARGV do requeue(ARGV[i]) end
return #ARGV - 1
`;

/** ARGV: P, host, maxConcurrent, delayMs. */
export const SET_POLICY = `
local host = ARGV[2]
redis.call('HSET', P .. 'h:' .. host, 'mc', ARGV[3], 'dl', ARGV[4])
redis.call('HSETNX', P .. 'h:' .. host, 'r', 0)
redis.call('SADD', P .. 'hosts', host)
requeue(host)
return 1
`;

/** ARGV: P, host. Returns {mc, dl, default mc, default dl}, any of them false when unset. */
export const GET_POLICY = `
local h = redis.call('HMGET', P .. 'h:' .. ARGV[2], 'mc', 'dl')
local d = redis.call('HMGET', P .. 'cfg', 'dmc', 'ddl')
return { h[1], h[2], d[1], d[2] }
`;

/** ARGV: P. Returns {pending, leased, done}. */
export const COUNTS = `
return redis.call('HMGET', P .. 'n', 'pending', 'leased', 'done')
`;

/** ARGV: P, worker ('' = all). Returns the worker's last checkpoint record, or every record oldest first. */
export const CHECKPOINTS = `
if ARGV[2] ~= '' then return { redis.call('HGET', P .. 'cpl', ARGV[2]) } end
return redis.call('LRANGE', P .. 'cp', 0, -1)
`;

/** ARGV: P. Returns the lowest ready score, 'inf' when URLs are pending behind saturated hosts, or nil. */
export const NEXT_READY = `
local z = redis.call('ZRANGE', P .. 'ready', 0, 0, 'WITHSCORES')
if z[2] then return z[2] end
if (tonumber(redis.call('HGET', P .. 'n', 'pending')) or 0) > 0 then return 'inf' end
return false
`;

export interface LuaScript {
  readonly name: string;
  readonly source: string;
}

/**
 * Every script but init first checks that the run still exists: a Redis restarted without
 * persistence, flushed or evicting comes back empty, and an empty run must not read as "all done".
 */
const GUARD = `
if redis.call('EXISTS', P .. 'cfg') == 0 then
  return redis.error_reply('JVX_ERR_FRONTIER_REDIS_LOST the run is gone from this Redis (restarted without persistence, flushed, or evicted)')
end
`;

/**
 * Builds a script: PRELUDE, then `fence` (Redis Cluster: see redis-cluster-scripts.ts), then the
 * run-exists GUARD (all but the scripts that create a run), then the body.
 */
export const buildScript = (name: string, body: string, fence = '', guard = name !== 'init'): LuaScript => ({
  name,
  source: `-- jarvix frontier: ${name}\n${PRELUDE}\n${fence}${guard ? GUARD : ''}${body}`,
});
const script = (name: string, body: string): LuaScript => buildScript(name, body);

export const SCRIPTS = {
  init: script('init', INIT),
  requeue: script('requeue', REQUEUE),
  add: script('add', ADD),
  lease: script('lease', LEASE),
  release: script('release', RELEASE),
  retry: script('retry', RETRY),
  commit: script('commit', COMMIT),
  recover: script('recover', RECOVER),
  setPolicy: script('setPolicy', SET_POLICY),
  getPolicy: script('getPolicy', GET_POLICY),
  nextReady: script('nextReady', NEXT_READY),
  counts: script('counts', COUNTS),
  checkpoints: script('checkpoints', CHECKPOINTS),
} as const;

/** Version of the key layout above, stored in cfg.v; a run written by another layout is refused. */
export const LAYOUT_VERSION = '1';
