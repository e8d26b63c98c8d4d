-- Queued lock (fair or barging, see QueuedHashKind): free the lock whoever holds it; the queue
-- stays as it is.
-- KEYS[1]  lock hash
-- KEYS[2]  queue LIST
-- KEYS[3]  waiter key prefix
-- KEYS[4]  wake-up channel
-- Returns {1 if it was held (then it is handed over to the first live waiter) else 0, message}:
-- the message published ("" if nothing), so the calling client can act on it for its own waiters.
-- A key of another type (somebody else's value) is left as it is: a WRONGTYPE error reply.
--@include queue.lua
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind ~= 'none' and kind ~= 'hash' then
  return redis.error_reply('WRONGTYPE the lock key holds a ' .. kind .. ', not a lock; nothing was changed')
end
if redis.call('DEL', KEYS[1]) == 0 then
  return {0, ''}
end
local _, message = hand_over(KEYS[1], KEYS[2], KEYS[3], KEYS[4], nil)
return {1, message or ''}
