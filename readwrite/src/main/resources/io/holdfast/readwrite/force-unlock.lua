-- Read-write lock: free the lock whoever holds it, in either role (writer intents stay).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel
-- Returns 1 if it was held (waiters were woken as by a release that frees it), 0 if it was free.
--@include lib.lua
local L, leases, intents, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('DEL', L, leases) == 0 then
  return 0
end
wake(intents, channel, clock(), false)
return 1
