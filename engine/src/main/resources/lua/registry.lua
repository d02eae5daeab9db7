-- The cluster registry (multi-node mode): which nodes are alive, which campaign and wish ids are
-- taken, and which campaign each block of claim numbers belongs to. Every key carries the hash tag
-- {wish}, so one script call touches them all atomically, judged by Redis's clock.
-- KEYS[1] {wish}:nodes      hash node id -> "<advertise url> <expires at ms>"
-- KEYS[2] {wish}:campaigns  hash campaign id -> owner node id hint ('' while nobody owns it)
-- KEYS[3] {wish}:wishes     hash wish id -> campaign id
-- KEYS[4] {wish}:blocks     hash block number -> campaign id
-- KEYS[5] {wish}:counters   hash campaign | wish | block -> the last number handed out
-- KEYS[6] {wish}:orgs       list: the organiser tree, one orgs/1 element per committed edit;
--                           its length is the tree's version
-- KEYS[7] {wish}:org-campaigns  hash org id -> how many campaigns were published under it (counted
--                           by the publishing node once the campaign is committed: see audit)
-- KEYS[8] {wish}:retired-orgs   set of the retired org ids (no campaign is reserved under one)
-- KEYS[9] {wish}:audit      list: the audit trail, one element per organiser action
-- KEYS[10] {wish}:audit-seq hash node id -> "<incarnation>:<batch sequence>" of its last audit append
-- ARGV[1] the action:
--   heartbeat: ARGV[2] node id, ARGV[3] advertise url, ARGV[4] ttl ms
--              -> {node, url, expires at, ...} of every live node, this one included; expired
--                 entries are deleted
--   leave:     ARGV[2] node id -> 1 when it was listed, else 0
--   reserve:   ARGV[2] campaign id or '' (auto), ARGV[3] its org or '', ARGV[4..] each wish's id
--              or '' (auto) -> {'ok', campaign id, wish id, ...}, {'conflict', the id}, or
--              {'retired', the org} for a new campaign of a retired org
--   grant:     ARGV[2] campaign id -> a new block number (>= 1)
--   tree:      an edit of the organiser tree, decided by a node against version ARGV[2]:
--              ARGV[3] the orgs/1 element, ARGV[4] its audit record or '', ARGV[5] the org ids it
--              retires (space-separated) and ARGV[6] how many campaigns the nodes hold of each,
--              ARGV[7] the org ids it makes live again -> {'ok', new version}, {'stale', version}
--              (another edit came first), or {'moving', org} (more campaigns of that org were
--              published than the nodes counted: one is on a node that is down or moving)
--   audit:     what a node's committed batch adds to the registry, once per batch: ARGV[2] node
--              id, ARGV[3] its incarnation, ARGV[4] batch sequence, ARGV[5] the orgs of the
--              campaigns it published (space-separated, one per campaign), ARGV[6..] its audit
--              records -> 1 applied, 0 already applied (a re-sent batch)
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
  local org = ARGV[3]
  local fresh = campaign == '' or redis.call('HEXISTS', KEYS[2], campaign) == 0
  if org ~= '' and fresh and redis.call('SISMEMBER', KEYS[8], org) == 1 then
    return {'retired', org}
  end
  local explicit = {}
  for i = 4, #ARGV do
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
  for i = 4, #ARGV do
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
elseif action == 'tree' then
  local version = redis.call('LLEN', KEYS[6])
  if version ~= tonumber(ARGV[2]) then
    return {'stale', version}
  end
  local retiring, held = {}, {}
  for id in string.gmatch(ARGV[5], '%S+') do retiring[#retiring + 1] = id end
  for n in string.gmatch(ARGV[6], '%S+') do held[#held + 1] = tonumber(n) end
  for i, org in ipairs(retiring) do
    local published = tonumber(redis.call('HGET', KEYS[7], org) or '0')
    -- Fewer published than counted is a count lost to a crash between commit and count: the
    -- nodes saw every campaign, which is what matters.
    if published > held[i] then
      return {'moving', org}
    end
  end
  redis.call('RPUSH', KEYS[6], ARGV[3])
  for _, org in ipairs(retiring) do
    redis.call('SADD', KEYS[8], org)
  end
  for org in string.gmatch(ARGV[7], '%S+') do
    redis.call('SREM', KEYS[8], org)
  end
  if ARGV[4] ~= '' then
    redis.call('RPUSH', KEYS[9], ARGV[4])
  end
  return {'ok', version + 1}
elseif action == 'audit' then
  local stored = redis.call('HGET', KEYS[10], ARGV[2]) or ''
  local sep = string.find(stored, ':', 1, true)
  if sep and string.sub(stored, 1, sep - 1) == ARGV[3]
      and tonumber(string.sub(stored, sep + 1)) >= tonumber(ARGV[4]) then
    return 0
  end
  for org in string.gmatch(ARGV[5], '%S+') do
    redis.call('HINCRBY', KEYS[7], org, 1)
  end
  -- One RPUSH per record rather than unpack(): a batch may hold more records than Lua's stack.
  for i = 6, #ARGV do
    redis.call('RPUSH', KEYS[9], ARGV[i])
  end
  redis.call('HSET', KEYS[10], ARGV[2], ARGV[3] .. ':' .. ARGV[4])
  return 1
end
return redis.error_reply('registry.lua: unknown action ' .. tostring(action))
