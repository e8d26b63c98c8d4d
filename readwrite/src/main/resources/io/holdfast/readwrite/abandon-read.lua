-- Read-write lock: drop a holder's read hold entirely (an acquisition nobody will use).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- Returns 1 if a read hold was dropped (if that freed the lock, waiters were woken as by a
-- release), else 0.
--@include lib.lua
local L, leases, intents, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local member = 'r:' .. ARGV[1]
if redis.call('HEXISTS', L, member) == 0 then
  return 0
end
local now = clock()
if not drop(L, leases, {member}) then
  wake(intents, channel, now, false)
end
return 1
