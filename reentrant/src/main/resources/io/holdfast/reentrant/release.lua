-- Reentrant lock: release one level.
-- KEYS[1]  lock hash
-- KEYS[2]  wake-up channel
-- ARGV[1]  holder id
-- Returns the levels left: 0 = the lock is free and one waiter per subscribed client was woken;
-- -1 = the holder has no hold here (lease expired or force-unlocked); nothing was changed.
local lock, holder = KEYS[1], ARGV[1]
local count = tonumber(redis.call('HGET', lock, holder))
if count == nil then
  return -1
end
if count > 1 then
  return redis.call('HINCRBY', lock, holder, -1)
end
redis.call('DEL', lock)
redis.call('PUBLISH', KEYS[2], '1')
return 0
