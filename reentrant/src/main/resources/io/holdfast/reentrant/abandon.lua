-- Reentrant lock: drop a holder's hold entirely (an acquisition nobody will use).
-- KEYS[1]  lock hash
-- KEYS[2]  wake-up channel
-- ARGV[1]  holder id
-- Returns 1 if a hold was dropped (and, if the lock became free, a waiter woken), else 0.
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('PUBLISH', KEYS[2], '1')
end
return 1
