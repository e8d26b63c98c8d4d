-- Read-write lock: what one role of the lock looks like now; reads only (state layout: lib.lua).
-- KEYS[1]  lock hash      KEYS[2]  leases zset
-- ARGV[1]  role: "r" (read) or "w" (write)
-- ARGV[2]  holder id whose hold count to report, or "" for none
-- Returns {held, count, ttl}: held = 1 if some live hold of the role exists, else 0; count = the
-- holder's live hold count of the role, 0 if none; ttl = ms left of the role's longest live lease,
-- -2 if none. Holds whose deadline passed count as gone even before a purge removes them.
--@include lib.lua
local L, leases = KEYS[1], KEYS[2]
local role, holder = ARGV[1], ARGV[2]
local now = clock()

local count = 0
if holder ~= '' then
  local member = role .. ':' .. holder
  local deadline = redis.call('ZSCORE', leases, member)
  if deadline and tonumber(deadline) > now then
    count = tonumber(redis.call('HGET', L, member)) or 0
  end
end

local longest = nil
if role == 'w' then
  local writer = redis.call('HGET', L, 'writer')
  longest = writer and tonumber(redis.call('ZSCORE', leases, 'w:' .. writer))
else
  -- at most one member is a write hold, so the two latest deadlines include the latest read one
  local top = redis.call('ZREVRANGEBYSCORE', leases, '+inf', '(' .. now, 'WITHSCORES', 'LIMIT', 0, 2)
  for i = 1, #top, 2 do
    if not longest and string.sub(top[i], 1, 2) == 'r:' then
      longest = tonumber(top[i + 1])
    end
  end
end
if longest and longest > now then
  return {1, count, longest - now}
end
return {0, count, -2}
