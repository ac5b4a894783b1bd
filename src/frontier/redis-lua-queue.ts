/**
 * Lua bodies of the calls that move URLs through the queues: add, lease, release, retry. They run
 * after the PRELUDE of redis-scripts.ts (P, pad, str, requeue, freeSlot, isDone, unknown), which
 * also documents the key layout.
 */

/** ARGV: P, mode ('exact'|'bloom'), hashes, then per URL: dedup args, url, host, depth, score. Returns the number added. */
export const ADD = `
local exact, k = ARGV[2] == 'exact', tonumber(ARGV[3])
local id = tonumber(redis.call('HGET', P .. 'n', 'id')) or 0
local added, hosts, queued = 0, {}, {}
local i = 4
while i <= #ARGV do
  local new = false
  if exact then
    new = redis.call('SADD', P .. 'x:' .. ARGV[i], ARGV[i + 1]) == 1
    i = i + 2
  else
    local ops = {}
    for j = 1, k do
      ops[#ops + 1] = 'SET'; ops[#ops + 1] = 'u1'; ops[#ops + 1] = ARGV[i + j]; ops[#ops + 1] = 1
    end
    for _, old in ipairs(redis.call('BITFIELD', P .. 'bf:' .. ARGV[i], unpack(ops))) do
      if old == 0 then new = true end
    end
    i = i + 1 + k
  end
  if new then
    local host, score = ARGV[i + 1], ARGV[i + 3]
    id = id + 1
    -- attempts and notBefore are absent until a retry sets them (absent = 0): fewer fields, less memory.
    redis.call('HSET', P .. 'u:' .. str(id), 'url', ARGV[i], 'h', host, 'd', ARGV[i + 2], 'k', score, 's', 0)
    local z = queued[host]
    if not z then z = {}; queued[host] = z; hosts[#hosts + 1] = host end
    z[#z + 1] = score; z[#z + 1] = pad(id)
    added = added + 1
  end
  i = i + 4
end
if added > 0 then
  redis.call('HSET', P .. 'n', 'id', str(id))
  redis.call('HINCRBY', P .. 'n', 'pending', added)
  for _, host in ipairs(hosts) do
    redis.call('ZADD', P .. 'q:' .. host, unpack(queued[host]))
    redis.call('HSETNX', P .. 'h:' .. host, 'r', 0)
    redis.call('SADD', P .. 'hosts', host)
    requeue(host)
  end
end
return added
`;

/**
 * ARGV: P, max, now, leaseUntil, worker. Returns a flat list: id url host depth attempts slot, ….
 * Walks ready hosts from the lowest score (waited longest); each host gives at most its free slots.
 * A host leaves the [.., now] range once served (saturated, empty, or waiting), so the walk ends.
 */
export const LEASE_BODY = `
local max, now, lu, worker = tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local out, count, passes = {}, 0, 0
local slotN = tonumber(redis.call('HGET', P .. 'n', 'slot')) or 0
while count < max and passes < max + 16 do
  passes = passes + 1
  local hosts = redis.call('ZRANGEBYSCORE', P .. 'ready', '-inf', now, 'LIMIT', 0, max - count)
  if #hosts == 0 then break end
  for _, host in ipairs(hosts) do
    if count >= max then break end
    local wk, qk = P .. 'w:' .. host, P .. 'q:' .. host
    local due = redis.call('ZRANGEBYSCORE', wk, '-inf', now, 'LIMIT', 0, 1000)
    for _, m in ipairs(due) do
      redis.call('ZADD', qk, redis.call('HGET', P .. 'u:' .. str(tonumber(m)), 'k'), m)
    end
    if #due > 0 then redis.call('ZREM', wk, unpack(due)) end
    local mc, r = hostState(host)
    local inFlight = redis.call('ZCARD', P .. 'hs:' .. host)
    local room = math.min(mc - inFlight, max - count)
    if room > 0 then
      local got = redis.call('ZPOPMIN', qk, room)
      inFlight = inFlight + #got / 2
      for j = 1, #got, 2 do
        local id = str(tonumber(got[j]))
        local uk = P .. 'u:' .. id
        local f = redis.call('HMGET', uk, 'url', 'd', 'a')
        redis.call('HSET', uk, 's', 1, 'o', worker, 'lu', lu)
        redis.call('ZADD', P .. 'le', lu, id)
        redis.call('SADD', P .. 'lw:' .. worker, id)
        slotN = slotN + 1
        local slot = str(slotN)
        redis.call('ZADD', P .. 'hs:' .. host, lu, pad(slotN))
        redis.call('HSET', P .. 'sh', slot, host .. '\\n' .. worker)
        redis.call('ZADD', P .. 'se', lu, slot)
        redis.call('SADD', P .. 'sw:' .. worker, slot)
        out[#out + 1] = id; out[#out + 1] = f[1]; out[#out + 1] = host
        out[#out + 1] = f[2]; out[#out + 1] = f[3] or '0'; out[#out + 1] = slot
        count = count + 1
      end
    end
    requeue(host, mc, r, inFlight)
  end
end
if count > 0 then
  redis.call('HSET', P .. 'n', 'slot', str(slotN))
  redis.call('HINCRBY', P .. 'n', 'pending', -count)
  redis.call('HINCRBY', P .. 'n', 'leased', count)
end
`;
export const LEASE = `${LEASE_BODY}return out
`;

/**
 * ARGV: P, host, readyAt, slot ('' = the host's oldest). Frees the named slot only if it is still
 * held (recover may have freed it: freeing another would let the host exceed its limit), then
 * moves readyAt later, never earlier. Returns 1 when a slot was freed.
 */
export const RELEASE_BODY = `
local host, readyAt, slot = ARGV[2], ARGV[3], ARGV[4]
local mc, r = hostState(host)
if not r then return 0 end
local freed = 0
if slot ~= '' then
  local v = redis.call('HGET', P .. 'sh', slot)
  if v and string.sub(v, 1, #host + 1) == host .. '\\n' then freeSlot(slot, v); freed = 1 end
else
  local oldest = redis.call('ZRANGE', P .. 'hs:' .. host, 0, 0)
  if oldest[1] then freeSlot(str(tonumber(oldest[1]))); freed = 1 end
end
local at = tonumber(readyAt)
if at > r then
  redis.call('HSET', P .. 'h:' .. host, 'r', readyAt)
  r = at
end
local at = requeue(host, mc, r)
`;
export const RELEASE = `${RELEASE_BODY}return freed
`;

/** ARGV: P, id, notBefore (integer ms, 0 = none). A URL no longer leased is left as it is. */
export const RETRY = `
local id, nb = ARGV[2], ARGV[3]
local uk = P .. 'u:' .. id
local f = redis.call('HMGET', uk, 's', 'h', 'k', 'o')
if not f[1] then
  if isDone(id) then return 0 end
  return unknown(id)
end
if f[1] ~= '1' then return 0 end
redis.call('HSET', uk, 's', 0, 'nb', nb)
redis.call('HINCRBY', uk, 'a', 1)
redis.call('HDEL', uk, 'o', 'lu')
redis.call('ZREM', P .. 'le', id)
redis.call('SREM', P .. 'lw:' .. f[4], id)
if tonumber(nb) > 0 then
  redis.call('ZADD', P .. 'w:' .. f[2], nb, pad(tonumber(id)))
else
  redis.call('ZADD', P .. 'q:' .. f[2], f[3], pad(tonumber(id)))
end
requeue(f[2])
redis.call('HINCRBY', P .. 'n', 'pending', 1)
redis.call('HINCRBY', P .. 'n', 'leased', -1)
return 1
`;

