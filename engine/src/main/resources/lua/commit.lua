-- Commits one campaign's share of one ring batch, atomically and at most once, for the writer
-- that holds the campaign's lease.
-- KEYS[1] wish:{c}:seq       "sequence:epoch" of the last batch applied for this campaign
-- KEYS[2] wish:{c}:journal   list of journal entries (claims/1 lines: the latest state of each
--                            claim a batch changed), folded into wish:{c}:claims at start-up
-- KEYS[3] wish:{c}:campaign  the campaign definition (JSON), written once
-- KEYS[4] the record that fences the campaign (lua/lease.lua): the writer lease wish:writer on a
--         single Redis; on a Redis Cluster the campaign's own lease wish:{c}:owner (same slot as
--         the rest), which its node takes before it publishes or loads the campaign
-- KEYS[5] wish:{c}:entries   list of fair-start entry elements (entries/1 lines: the latest state
--                            of each entry a batch made or settled; a draw settles all at once)
-- ARGV[1] batch sequence; ARGV[2] campaign JSON or ''; ARGV[3] journal entry or '';
-- ARGV[4] the lease epoch the writer holds; ARGV[5] fair-start entries element (entries/1) or ''
-- Answers 1 applied, 0 already applied, -1 fenced (another writer holds the lease: nothing
-- written), -2 no lease record (Redis lost it; the holder restores it when it renews).
--
-- Fencing: a writer that was paused or cut off past its lease and wakes up finds a newer epoch
-- here and can write nothing, atomically with the check; the new writer bumped the epoch before
-- it read the campaign, so everything committed before is in its book and nothing after is.
-- A batch at or below the stored sequence of the same epoch was already applied (a client retry,
-- or Lettuce re-sending after a reconnect): applying it again could roll a newer claim state
-- back. Sequences of another epoch prove nothing about this batch, hence the pair.
-- One RPUSH per batch rather than one HSET field per claim: Redis copies one string instead of
-- creating hundreds of hash entries, and its append-only file grows by the entry alone.
local fence = redis.call('HGET', KEYS[4], 'epoch')
if not fence then
  return -2
end
local stored = redis.call('GET', KEYS[1]) or '0'
local sep = string.find(stored, ':', 1, true)
local last = tonumber(sep and string.sub(stored, 1, sep - 1) or stored)
local lastEpoch = sep and string.sub(stored, sep + 1) or ''
local seq = tonumber(ARGV[1])
if lastEpoch == ARGV[4] and seq <= last then
  return 0
end
if fence ~= ARGV[4] then
  return -1
end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[3], ARGV[2], 'NX')
end
if ARGV[3] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[3])
end
if ARGV[5] and ARGV[5] ~= '' then
  redis.call('RPUSH', KEYS[5], ARGV[5])
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[4])
return 1
