-- Commits the organiser-tree changes and the audit records of one ring batch (single Redis
-- only), atomically and at most once, for the writer that holds the writer lease; sent in the
-- same flush as the batch's campaign commits (lua/commit.lua), whose rules it follows.
-- KEYS[1] wish:orgs:seq  "sequence:epoch" of the last batch whose org changes were applied
-- KEYS[2] wish:orgs      list of orgs/1 elements: the latest state of each org a batch changed
-- KEYS[3] wish:writer    the writer lease (lua/lease.lua)
-- KEYS[4] wish:audit     (optional) the audit trail: one element per organiser action
-- ARGV[1] batch sequence; ARGV[2] the orgs/1 element, or empty when the batch changed no org;
-- ARGV[3] the lease epoch the writer holds; ARGV[4..] the batch's audit records, oldest first
-- Answers 1 applied, 0 already applied, -1 fenced (another writer holds the lease: nothing
-- written), -2 no lease record.
local fence = redis.call('HGET', KEYS[3], 'epoch')
if not fence then
  return -2
end
local stored = redis.call('GET', KEYS[1]) or '0'
local sep = string.find(stored, ':', 1, true)
local last = tonumber(sep and string.sub(stored, 1, sep - 1) or stored)
local lastEpoch = sep and string.sub(stored, sep + 1) or ''
local seq = tonumber(ARGV[1])
if lastEpoch == ARGV[3] and seq <= last then
  return 0
end
if fence ~= ARGV[3] then
  return -1
end
if ARGV[2] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[2])
end
-- One RPUSH per record rather than unpack(): a batch may hold more records than Lua's stack.
for i = 4, #ARGV do
  redis.call('RPUSH', KEYS[4], ARGV[i])
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[3])
return 1
