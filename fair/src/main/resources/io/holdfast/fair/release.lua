-- Fair lock: release one level.
-- KEYS[1]  lock hash
-- KEYS[2]  queue LIST
-- KEYS[3]  deadlines ZSET
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- Returns the levels left: 0 = the lock is free and the head of the queue (after evicting dead
-- waiters) was woken, nobody else; -1 = the holder has no hold here (lease expired or
-- force-unlocked), nothing was changed.
--@include /io/holdfast/spi/hash-hold.lua
--@include queue.lua
local left = release_level(KEYS[1], ARGV[1])
if left == 0 then
  wake_head(KEYS[2], KEYS[3], KEYS[4])
end
return left
