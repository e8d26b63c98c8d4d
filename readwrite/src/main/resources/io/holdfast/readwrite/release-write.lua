-- Read-write lock: release one level of the write hold (state layout and helpers: lib.lua).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- Returns the levels left: 0 = the write hold is gone; the lock is free, or in read mode if the
-- holder kept read holds (a downgrade). Then: if no writer waits, every waiter is woken (each
-- reader may enter); if one waits, it alone is woken if the lock is free. -1 = the holder has no
-- write hold here (lease expired or force-unlocked), nothing was changed.
--@include lib.lua
local L, leases, intents, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = clock()
purge(L, leases, now)
local left, held = release_one(L, leases, 'w:' .. ARGV[1])
if left == 0 then
  wake(intents, channel, now, held)
end
return left
