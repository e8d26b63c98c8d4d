-- Read-write lock: free the lock whoever holds it, in either role (writer intents stay).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel
-- Returns 1 if it was held (waiters were woken as by a release that frees it), 0 if it was free.
-- A lock hash or leases key of another type (somebody else's value) is left as it is: a WRONGTYPE
-- error reply. A hold of the exclusive or fair lock of the same name (a hash without 'mode') is
-- left alone: 0.
--@include lib.lua
local L, leases, intents, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
for _, k in ipairs({L, leases}) do
  local kind = redis.call('TYPE', k)['ok']
  if kind ~= 'none' and kind ~= (k == L and 'hash' or 'zset') then
    return redis.error_reply('WRONGTYPE key ' .. k .. ' holds a ' .. kind .. ', not a lock; nothing was changed')
  end
end
if redis.call('EXISTS', L) == 1 and redis.call('HEXISTS', L, 'mode') == 0 then
  return 0 -- held by the exclusive or fair lock of this name, another kind: left alone
end
if redis.call('DEL', L, leases) == 0 then
  return 0
end
wake(intents, channel, clock(), false)
return 1
