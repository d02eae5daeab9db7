-- Commits one campaign's share of one ring batch, atomically and at most once.
-- KEYS[1] wish:{c}:seq       last batch sequence applied for this campaign
-- KEYS[2] wish:{c}:journal   list of journal entries (claims/1 lines: the latest state of each
--                            claim a batch changed), folded into wish:{c}:claims at start-up
-- KEYS[3] wish:{c}:campaign  the campaign definition (JSON), written once
-- ARGV[1] batch sequence; ARGV[2] campaign JSON or ''; ARGV[3] journal entry or ''
--
-- A batch at or below the stored sequence was already applied (a client retry, or Lettuce
-- re-sending after a reconnect): applying it again could roll a newer claim state back.
-- One RPUSH per batch rather than one HSET field per claim: Redis copies one string instead of
-- creating hundreds of hash entries, and its append-only file grows by the entry alone.
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local seq = tonumber(ARGV[1])
if seq <= last then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[3], ARGV[2], 'NX')
end
if ARGV[3] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[3])
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
