-- Fair lock: batched renewal of waiters' places in their queues (see Renewable).
-- KEYS[2i-1]  deadlines ZSET of item i
-- KEYS[2i]    queue LIST of item i
-- ARGV[1]     lease in ms: the waiter timeout
-- ARGV[2]     keys per item (always 2 here)
-- ARGV[2 + i] holder id of item i
-- Returns one integer per item: 1 = still queued, deadline set to server time + lease;
-- 0 = no longer queued, or its deadline has passed (it counts as dead and is evicted by the
-- next attempt or release, which also wakes a new head).
-- A key of another type counts as gone (pcall), so one bad key cannot fail the whole batch.
--@include queue.lua
local lease = tonumber(ARGV[1])
local now = now_ms()
local out = {}
for i = 1, #ARGV - 2 do
  local deadlines, queue, holder = KEYS[2 * i - 1], KEYS[2 * i], ARGV[i + 2]
  local deadline = redis.pcall('ZSCORE', deadlines, holder)
  if type(deadline) == 'string' and tonumber(deadline) > now then
    redis.call('ZADD', deadlines, now + lease, holder)
    keep_until(queue, lease)
    keep_until(deadlines, lease)
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
