-- Queued lock (fair or barging, see QueuedHashKind): free the lock whoever holds it; the queue
-- stays as it is.
-- KEYS[1]  lock hash
-- KEYS[2]  queue ZSET, KEYS[3] waiters HASH (see queue.lua)
-- KEYS[4]  wake-up channel
-- KEYS[5]  token key of the lock's slot (see fencing-token.lua)
-- Returns {1 if it was held (then it is handed over to the first live waiter) else 0, message}:
-- the message published ("" if nothing), so the calling client can act on it for its own waiters.
-- A key of another type (somebody else's value) is left as it is: a WRONGTYPE error reply. A hold
-- of the read-write lock of the same name (a hash with a 'mode' field) is left alone: {0, ''}.
--@include queue.lua
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind ~= 'none' and kind ~= 'hash' then
  return redis.error_reply('WRONGTYPE the lock key holds a ' .. kind .. ', not a lock; nothing was changed')
end
if kind == 'hash' and redis.call('HEXISTS', KEYS[1], 'mode') == 1 then
  return {0, ''} -- held by the read-write lock of this name, another kind: left alone
end
if redis.call('DEL', KEYS[1]) == 0 then
  return {0, ''}
end
local lock, q, channel, token_key = lock_keys()
local _, message = hand_over(lock, q, channel, token_key, nil)
return {1, message or ''}
