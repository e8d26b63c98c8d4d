-- Queued lock (fair or barging, see QueuedHashKind): batched renewal of waiters' places in their
-- queues (see Renewable).
-- KEYS[2i-1]  waiter key of item i
-- KEYS[2i]    queue LIST of item i
-- ARGV[1]     lease in ms: the waiter timeout
-- ARGV[2]     keys per item (always 2 here)
-- ARGV[2 + i] "<holder id>|<placement>" of item i: the waiter key's value the client waits with
-- Returns one integer per item: 1 = still waiting with that placement, its waiter key lives the
-- waiter timeout again and the queue at least 3 of them (a queue that expired under it is started
-- again with it); 0 = its waiter key is gone or holds another placement (granted, left, expired or
-- created again: that placement counts as gone), or a key is of another type.
--@include /io/holdfast/spi/renew-each.lua
return renew_each(function(waiter, queue, item, lease)
  local holder, placement = string.match(item, '^(.-)|(.*)$')
  if redis.call('GET', waiter) ~= placement then
    return false
  end
  redis.call('PEXPIRE', waiter, lease)
  local left = redis.call('PTTL', queue)
  if left == -2 then
    redis.call('RPUSH', queue, holder)
  end
  if left < 3 * lease then
    redis.call('PEXPIRE', queue, 3 * lease)
  end
  return true
end)
