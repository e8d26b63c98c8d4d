-- Queued lock (fair or barging, see QueuedHashKind): batched renewal of waiters' places in their
-- queues (see Renewable).
-- KEYS[2i-1]  waiters HASH of item i's lock (see queue.lua)
-- KEYS[2i]    queue ZSET of item i's lock
-- ARGV[1]     lease in ms: the waiter timeout
-- ARGV[2]     keys per item (always 2 here)
-- ARGV[2 + i] "<holder id>|<identity>" of item i: the waiter's identity the client waits with
--             ("<lease>:<acquisition>.<placement>", see queue.lua)
-- Returns one integer per item: 1 = still waiting with that placement, its deadline is the waiter
-- timeout from now again and the queue's keys live at least 2 of them (a waiter whose queue entry
-- vanished is queued again at the tail); 0 = its entry is gone, dead (its deadline passed: it is
-- never revived) or holds another placement (granted, left, expired or created again: that placement
-- counts as gone), or a key is of another type. O(log n) per item for n queued: HGET, HSET and
-- ZSCORE per item, and the queue's TTL read once per lock per call (keep_place's `kept`).
--@include /io/holdfast/spi/renew-each.lua
--@include queue.lua
local now = now_ms()
local kept = {} -- waiters keys whose TTL this call made last 2 waiter timeouts (see keep_place)
return renew_each(function(waiters, queue, item, lease)
  local holder, identity = string.match(item, '^(.-)|(.*)$')
  if live_entry(waiters, holder, now) ~= identity then
    return false
  end
  keep_place({queue = queue, waiters = waiters}, holder, identity, now + lease, lease, false, kept)
  return true
end)
