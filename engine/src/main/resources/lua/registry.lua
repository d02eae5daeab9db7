-- The cluster registry (multi-node mode): which nodes are alive, which campaign and wish ids are
-- taken, and which campaign each block of claim numbers belongs to. Every key carries the hash tag
-- {wish}, so one script call touches them all atomically, judged by Redis's clock.
-- KEYS[1] {wish}:nodes      hash node id -> "<advertise url> <expires at ms>"
-- KEYS[2] {wish}:campaigns  hash campaign id -> owner node id hint ('' while nobody owns it)
-- KEYS[3] {wish}:wishes     hash wish id -> campaign id
-- KEYS[4] {wish}:blocks     hash block number -> campaign id
-- KEYS[5] {wish}:counters   hash campaign | wish | block -> the last number handed out
-- ARGV[1] the action:
--   heartbeat: ARGV[2] node id, ARGV[3] advertise url, ARGV[4] ttl ms
--              -> {node, url, expires at, ...} of every live node, this one included; expired
--                 entries are deleted
--   leave:     ARGV[2] node id -> 1 when it was listed, else 0
--   reserve:   ARGV[2] campaign id or '' (auto), ARGV[3..] each wish's id or '' (auto)
--              -> {'ok', campaign id, wish id, ...} or {'conflict', the id}
--   grant:     ARGV[2] campaign id -> a new block number (>= 1)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local action = ARGV[1]

-- The next number of a counter whose id is not taken yet. Taken ids are skipped rather than
-- trusted to be above the counter: an explicit id may look like an automatic one, and a failover
-- may lose the counter's last increments while the ids they produced survive elsewhere.
local function next_free(field, prefix, taken_key, also_taken)
  while true do
    local n = redis.call('HINCRBY', KEYS[5], field, 1)
    local id = prefix .. string.format('%d', n)
    if redis.call('HEXISTS', taken_key, id) == 0 and not (also_taken and also_taken[id]) then
      return id
    end
  end
end

if action == 'heartbeat' then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3] .. ' ' .. string.format('%d', now + tonumber(ARGV[4])))
  local all = redis.call('HGETALL', KEYS[1])
  local live = {}
  for i = 1, #all, 2 do
    local value = all[i + 1]
    local sep = string.find(value, ' [^ ]*$')
    local expires = sep and tonumber(string.sub(value, sep + 1)) or 0
    if expires > now then
      live[#live + 1] = all[i]
      live[#live + 1] = string.sub(value, 1, sep - 1)
      live[#live + 1] = expires
    else
      redis.call('HDEL', KEYS[1], all[i])
    end
  end
  return live
elseif action == 'leave' then
  return redis.call('HDEL', KEYS[1], ARGV[2])
elseif action == 'reserve' then
  local campaign = ARGV[2]
  local explicit = {}
  for i = 3, #ARGV do
    local wish = ARGV[i]
    if wish ~= '' then
      if explicit[wish] then
        return {'conflict', wish}
      end
      explicit[wish] = true
      -- A retry of a publish (same explicit campaign id) finds its own wishes registered: fine.
      local holder = redis.call('HGET', KEYS[3], wish)
      if holder and (campaign == '' or holder ~= campaign) then
        return {'conflict', wish}
      end
    end
  end
  if campaign == '' then
    campaign = next_free('campaign', 'c-', KEYS[2], nil)
  end
  redis.call('HSETNX', KEYS[2], campaign, '')
  local ids = {'ok', campaign}
  for i = 3, #ARGV do
    local wish = ARGV[i]
    if wish == '' then
      wish = next_free('wish', 'w-', KEYS[3], explicit)
    end
    redis.call('HSET', KEYS[3], wish, campaign)
    ids[#ids + 1] = wish
  end
  return ids
elseif action == 'grant' then
  while true do
    local block = redis.call('HINCRBY', KEYS[5], 'block', 1)
    if redis.call('HSETNX', KEYS[4], string.format('%d', block), ARGV[2]) == 1 then
      return block
    end
  end
end
return redis.error_reply('registry.lua: unknown action ' .. tostring(action))
