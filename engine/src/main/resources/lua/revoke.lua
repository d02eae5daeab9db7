-- Revokes one organiser token, atomically with finding it among the issued ones.
-- KEYS[1] {wish}:tokens   token id (jti) -> "<org> <expires at ms>", one per token issued
-- KEYS[2] {wish}:revoked  token id -> expires at ms: what every engine's refresher reads
-- ARGV[1] the token id
-- Answers the token's expiry (ms) once revoked (again: the same), or -1 for a token never issued.
-- Both keys share one hash tag, so one slot of a Redis Cluster holds them.
local issued = redis.call('HGET', KEYS[1], ARGV[1])
if not issued then
  return -1
end
local expires = string.match(issued, ' (%d+)$')
redis.call('HSET', KEYS[2], ARGV[1], expires)
return tonumber(expires)
