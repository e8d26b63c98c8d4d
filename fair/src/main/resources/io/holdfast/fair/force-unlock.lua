-- Fair lock: free the lock whoever holds it; the queue stays as it is.
-- KEYS[1]  lock hash
-- KEYS[2]  queue LIST
-- KEYS[3]  deadlines ZSET
-- KEYS[4]  wake-up channel
-- Returns 1 if it was held (the head of the queue was woken), 0 if it was free.
--@include queue.lua
if redis.call('DEL', KEYS[1]) == 0 then
  return 0
end
wake_head(KEYS[2], KEYS[3], KEYS[4])
return 1
