-- Queued lock (fair or barging, see QueuedHashKind): an acquisition nobody will use (timed out, cancelled, or its reply was lost): leave
-- the queue and drop the holder's hold if the server granted (or handed over) one meanwhile.
-- KEYS[1]  lock hash
-- KEYS[2]  queue LIST
-- KEYS[3]  waiter key prefix
-- KEYS[4]  wake-up channel
-- KEYS[5]  token key of the lock's slot (see fencing-token.lua)
-- ARGV[1]  holder id
-- Returns {1 if a hold was dropped else 0, message}. If the lock is free afterwards, it is handed
-- over to the first live waiter (message: what was published, "" if nothing); the order of the
-- others is unchanged.
--@include queue.lua
local lock, queue, prefix, holder = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
leave(queue, prefix, holder)
local dropped = redis.call('HDEL', lock, holder)
local message
if redis.call('EXISTS', lock) == 0 then
  local _
  _, message = hand_over(lock, queue, prefix, KEYS[4], KEYS[5], nil)
end
return {dropped, message or ''}
