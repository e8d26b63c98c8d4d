-- Reentrant lock: free the lock whoever holds it.
-- KEYS[1]  lock hash
-- KEYS[2]  wake-up channel
-- Returns 1 if it was held (waiters were woken), 0 if it was free.
if redis.call('DEL', KEYS[1]) == 0 then
  return 0
end
redis.call('PUBLISH', KEYS[2], '1')
return 1
