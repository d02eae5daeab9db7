-- A writer lease with a fencing epoch, judged by Redis's clock (so nodes' clocks do not matter).
-- KEYS[1] the lease record, a hash: node, epoch, until (ms, Redis time), host, pid, since
-- ARGV[1] 'acquire' | 'renew' | 'release'; ARGV[2] the node id
--   acquire: ARGV[3] lease ms, ARGV[4] host, ARGV[5] pid
--   renew:   ARGV[3] the epoch held, ARGV[4] lease ms, ARGV[5] host, ARGV[6] pid
--   release: ARGV[3] the epoch held
-- Answers {granted (1|0), node, epoch, remaining ms, host, pid, expires at (ms)}: the holder afterwards.
--
-- The epoch only grows: taking the lease from anyone (or after it expired) increments it, and
-- every commit checks it (lua/commit.lua), so a writer that lost its lease can never commit
-- again. Releasing expires the lease but keeps the record: deleting it would let the epoch
-- restart and a stale writer's epoch match again.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rec = redis.call('HMGET', KEYS[1], 'node', 'epoch', 'until', 'host', 'pid')
local holder = rec[1] or ''
local epoch = tonumber(rec[2] or '0')
local expires = tonumber(rec[3] or '0')
local action = ARGV[1]
local node = ARGV[2]

local function answer(granted)
  local r = redis.call('HMGET', KEYS[1], 'node', 'epoch', 'until', 'host', 'pid')
  local left = tonumber(r[3] or '0') - now
  if left < 0 then left = 0 end
  return {granted, r[1] or '', tonumber(r[2] or '0'), left, r[4] or '', r[5] or '', tonumber(r[3] or '0')}
end

if action == 'acquire' then
  if holder ~= '' and holder ~= node and expires > now then
    return answer(0)
  end
  redis.call('HSET', KEYS[1], 'node', node, 'epoch', epoch + 1, 'until', now + tonumber(ARGV[3]),
    'host', ARGV[4], 'pid', ARGV[5], 'since', now)
  return answer(1)
elseif action == 'renew' then
  if rec[2] == false then
    -- The record is gone (Redis lost its last writes): nobody took it, so restore the holder's.
    redis.call('HSET', KEYS[1], 'node', node, 'epoch', ARGV[3], 'until', now + tonumber(ARGV[4]),
      'host', ARGV[5], 'pid', ARGV[6], 'since', now)
    return answer(1)
  end
  if holder ~= node or rec[2] ~= ARGV[3] then
    return answer(0)
  end
  redis.call('HSET', KEYS[1], 'until', now + tonumber(ARGV[4]))
  return answer(1)
elseif action == 'release' then
  if holder == node and rec[2] == ARGV[3] then
    redis.call('HSET', KEYS[1], 'until', 0)
    return answer(1)
  end
  return answer(0)
end
return redis.error_reply('lease.lua: unknown action ' .. tostring(action))
