/**
 * Lua bodies of commit (done + checkpoint record, atomically) and recover (expired or dead
 * workers' leases and slots back). They run after the PRELUDE of redis-scripts.ts.
 */

/**
 * ARGV: P, worker, seq, record JSON ('' on a cluster shard: no record kept), digest of the ids, id…. Returns the duplicates joined by ','.
 * The same (seq, record, ids) as the worker's last commit is a resend after a lost reply: it is
 * answered with the first answer and changes nothing.
 */
export const COMMIT = `
local worker, seq, json, digest = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local last = tonumber(redis.call('HGET', P .. 'cps', worker))
if last then
  if seq == last and (redis.call('HGET', P .. 'cpl', worker) or '') == json and redis.call('HGET', P .. 'cpk', worker) == digest then
    return redis.call('HGET', P .. 'cpd', worker) or ''
  end
  if seq <= last then
    return redis.error_reply('JVX_ERR_FRONTIER_CHECKPOINT_ORDER checkpoint ' .. ARGV[3] .. ' of worker ' .. worker .. ' is not after its last one (' .. last .. ')')
  end
end
for i = 6, #ARGV do
  if redis.call('EXISTS', P .. 'u:' .. ARGV[i]) == 0 and not isDone(ARGV[i]) then return unknown(ARGV[i]) end
end
local dups, hosts, seen = {}, {}, {}
local fromPending, fromLeased = 0, 0
for i = 6, #ARGV do
  local id = ARGV[i]
  local uk = P .. 'u:' .. id
  local f = redis.call('HMGET', uk, 's', 'h', 'o')
  if not f[1] then
    dups[#dups + 1] = id
  else
    if f[1] == '1' then
      redis.call('ZREM', P .. 'le', id)
      redis.call('SREM', P .. 'lw:' .. f[3], id)
      fromLeased = fromLeased + 1
    else
      -- Its lease expired and recover returned it, but this worker finished it first.
      redis.call('ZREM', P .. 'q:' .. f[2], pad(tonumber(id)))
      redis.call('ZREM', P .. 'w:' .. f[2], pad(tonumber(id)))
      if not seen[f[2]] then seen[f[2]] = true; hosts[#hosts + 1] = f[2] end
      fromPending = fromPending + 1
    end
    redis.call('DEL', uk)
  end
end
for _, host in ipairs(hosts) do requeue(host) end
if fromPending > 0 then redis.call('HINCRBY', P .. 'n', 'pending', -fromPending) end
if fromLeased > 0 then redis.call('HINCRBY', P .. 'n', 'leased', -fromLeased) end
if fromPending + fromLeased > 0 then redis.call('HINCRBY', P .. 'n', 'done', fromPending + fromLeased) end
local d = table.concat(dups, ',')
-- An empty record: a Redis Cluster shard's part of a commit (the record lives in the run's global slot).
if json ~= '' then
  redis.call('RPUSH', P .. 'cp', json)
  redis.call('HSET', P .. 'cpl', worker, json)
end
redis.call('HSET', P .. 'cps', worker, ARGV[3])
redis.call('HSET', P .. 'cpk', worker, digest)
redis.call('HSET', P .. 'cpd', worker, d)
return d
`;

/**
 * ARGV: P, now, worker ('' = none), limit. Returns {returned, more}: at most `limit` leases and
 * `limit` slots of each kind per call, so one call never blocks Redis long; the client repeats
 * while `more` is 1. Expired means leaseUntil < now.
 */
export const RECOVER = `
local now, worker, limit = ARGV[2], ARGV[3], tonumber(ARGV[4])
local returned, hosts, seen, more = 0, {}, {}, 0
local function touch(host)
  if host and not seen[host] then seen[host] = true; hosts[#hosts + 1] = host end
end
local function back(id)
  local uk = P .. 'u:' .. id
  local f = redis.call('HMGET', uk, 's', 'h', 'k', 'o')
  redis.call('ZREM', P .. 'le', id)
  if f[1] ~= '1' then return end
  redis.call('HSET', uk, 's', 0)
  redis.call('HDEL', uk, 'o', 'lu')
  redis.call('SREM', P .. 'lw:' .. f[4], id)
  redis.call('ZADD', P .. 'q:' .. f[2], f[3], pad(tonumber(id)))
  touch(f[2])
  returned = returned + 1
end
local function batch(list)
  if #list >= limit then more = 1 end
  return list
end
for _, id in ipairs(batch(redis.call('ZRANGEBYSCORE', P .. 'le', '-inf', '(' .. now, 'LIMIT', 0, limit))) do back(id) end
for _, slot in ipairs(batch(redis.call('ZRANGEBYSCORE', P .. 'se', '-inf', '(' .. now, 'LIMIT', 0, limit))) do touch(freeSlot(slot)) end
if worker ~= '' then
  for _, id in ipairs(batch(redis.call('SRANDMEMBER', P .. 'lw:' .. worker, limit))) do
    redis.call('SREM', P .. 'lw:' .. worker, id)
    back(id)
  end
  for _, slot in ipairs(batch(redis.call('SRANDMEMBER', P .. 'sw:' .. worker, limit))) do
    redis.call('SREM', P .. 'sw:' .. worker, slot)
    touch(freeSlot(slot))
  end
end
for _, host in ipairs(hosts) do requeue(host) end
if returned > 0 then
  redis.call('HINCRBY', P .. 'n', 'pending', returned)
  redis.call('HINCRBY', P .. 'n', 'leased', -returned)
end
return { returned, more }
`;

