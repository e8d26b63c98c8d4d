-- Distributed condition (see EngineCondition): batched renewal of waiters (see Renewable).
-- KEYS[2i-1]  the queue ZSET of item i's condition (see condition.lua)
-- KEYS[2i]    its deadlines ZSET
-- ARGV[1]     lease in ms: the waiter timeout
-- ARGV[2]     keys per item (always 2 here)
-- ARGV[2 + i] item i's waiter id
-- Returns one integer per item: 1 = still waiting, its deadline is the waiter timeout from now again;
-- 0 = gone: signalled, left, or dead (its deadline passed: never revived).
--@include /io/holdfast/spi/renew-each.lua
--@include condition.lua
local now = cond_now_ms()
return renew_each(function(queue, deadlines, id, lease)
  if not redis.call('ZSCORE', queue, id) or not cond_alive(deadlines, id, now) then
    return false
  end
  redis.call('ZADD', deadlines, string.format('%d', now + lease), id)
  cond_keep_alive({queue, deadlines}, 3 * lease)
  return true
end)
