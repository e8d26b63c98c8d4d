-- Reentrant lock: release one level.
-- KEYS[1]  lock hash
-- KEYS[2]  wake-up channel
-- ARGV[1]  holder id
-- ARGV[2]  "last" (the client's last level: the whole hold goes) or "one"
-- Returns the levels left: 0 = the lock is free and one waiter per subscribed client was woken;
-- -1 = the holder has no hold here (lease expired or force-unlocked); nothing was changed.
--@include /io/holdfast/spi/hash-hold.lua
local left = release_level(KEYS[1], ARGV[1], ARGV[2])
if left == 0 then
  redis.call('PUBLISH', KEYS[2], '1')
end
return left
