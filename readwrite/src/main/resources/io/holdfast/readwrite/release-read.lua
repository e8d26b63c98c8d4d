-- Read-write lock: release one level of a read hold (state layout and helpers: lib.lua).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- ARGV[2]  the levels the holder keeps (the client's count - 1): set, not counted down, so a
--          release that runs twice (re-sent) releases one level
-- Returns the levels left: 0 = the read hold is gone; if that freed the lock, the first waiting
-- writer was woken (or, if none waits, every waiter); -1 = the holder has no read hold here
-- (lease expired or force-unlocked), nothing was changed.
--@include lib.lua
local L, leases, intents, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = clock()
purge(L, leases, now)
local left, held = release_one(L, leases, 'r:' .. ARGV[1], ARGV[2])
if left == 0 and not held then
  wake(intents, channel, now, false)
end
return left
