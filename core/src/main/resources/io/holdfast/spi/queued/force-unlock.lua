-- Queued lock (fair or barging, see QueuedHashKind): free the lock whoever holds it; the queue stays as it is.
-- KEYS[1]  lock hash
-- KEYS[2]  queue LIST
-- KEYS[3]  waiter key prefix
-- KEYS[4]  wake-up channel
-- ARGV[1]  waiter timeout in ms
-- Returns 1 if it was held (then it is handed over to the first live waiter), 0 if it was free.
--@include queue.lua
if redis.call('DEL', KEYS[1]) == 0 then
  return 0
end
hand_over(KEYS[1], KEYS[2], KEYS[3], KEYS[4], tonumber(ARGV[1]), nil)
return 1
