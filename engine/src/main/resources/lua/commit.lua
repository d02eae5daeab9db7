-- Commits one campaign's share of one ring batch, atomically and at most once.
-- KEYS[1] wish:{c}:seq       last batch sequence applied for this campaign
-- KEYS[2] wish:{c}:claims    hash claimId -> claim JSON (the full, latest state)
-- KEYS[3] wish:{c}:campaign  the campaign definition (JSON), written once
-- ARGV[1] batch sequence; ARGV[2] campaign JSON or ''; ARGV[3..] claimId, claimJson pairs
--
-- A batch at or below the stored sequence was already applied (a client retry, or Lettuce
-- re-sending after a reconnect): applying it again could roll a newer claim state back.
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local seq = tonumber(ARGV[1])
if seq <= last then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[3], ARGV[2], 'NX')
end
-- HSET in chunks: unpack() of thousands of arguments would overflow Lua's C stack.
local n = #ARGV
local i = 3
while i <= n do
  local j = math.min(i + 399, n)
  redis.call('HSET', KEYS[2], unpack(ARGV, i, j))
  i = j + 1
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
