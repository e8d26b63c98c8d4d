-- Queued lock (fair or barging, see QueuedHashKind): batched renewal of waiters' places in their
-- queues (see Renewable).
-- KEYS[3i-2]  waiters HASH of item i's lock (see queue.lua)
-- KEYS[3i-1]  deadlines ZSET of item i's lock
-- KEYS[3i]    queue ZSET of item i's lock
-- ARGV[1]     lease in ms: the waiter timeout
-- ARGV[2]     keys per item (always 3 here)
-- ARGV[2 + i] "<holder id>|<placement>" of item i: the waiter's value the client waits with
-- Returns one integer per item: 1 = still waiting with that placement, its deadline is the waiter
-- timeout from now again and the queue's keys live at least 2 of them (a waiter whose queue entry
-- vanished is queued again at the tail); 0 = its entry is gone, dead (its deadline passed: it is
-- never revived) or holds another placement (granted, left, expired or created again: that placement
-- counts as gone), or a key is of another type. O(log n) per item for n queued.
--@include /io/holdfast/spi/renew-each.lua
--@include queue.lua
local now = now_ms()
return renew_each(function(waiters, queue, item, lease, base)
  local deadlines = KEYS[base + 2]
  local holder, placement = string.match(item, '^(.-)|(.*)$')
  if redis.call('HGET', waiters, holder) ~= placement or not alive(deadlines, holder, now) then
    return false
  end
  redis.call('ZADD', deadlines, string.format('%d', now + lease), holder)
  keep_alive({queue = queue, waiters = waiters, deadlines = deadlines}, lease, enqueue(queue, holder, false))
  return true
end)
