-- Fair lock: an acquisition nobody will use (timed out, cancelled, or its reply was lost): leave
-- the queue and drop the holder's hold if the server granted one meanwhile.
-- KEYS[1]  lock hash
-- KEYS[2]  queue LIST
-- KEYS[3]  deadlines ZSET
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- Returns 1 if a hold was dropped, else 0. If the lock is free afterwards and this holder was
-- the head or held it, the new head is woken; the order of the others is unchanged.
--@include queue.lua
local lock, queue, deadlines, holder = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local was_head = redis.call('LINDEX', queue, 0) == holder
leave(queue, deadlines, holder)
local dropped = redis.call('HDEL', lock, holder)
if (dropped == 1 or was_head) and redis.call('EXISTS', lock) == 0 then
  wake_head(queue, deadlines, KEYS[4])
end
return dropped
