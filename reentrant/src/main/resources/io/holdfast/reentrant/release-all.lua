-- Queued lock (fair or barging, see QueuedHashKind): release the last level of several locks of one
-- Cluster slot (any names on one server) in one call, each as release.lua releases its last level.
-- KEYS     5 per lock, lock after lock, each as release.lua takes them: lock hash, queue ZSET,
--          waiters HASH, wake-up channel, token key
-- ARGV     the holder id of each lock, in the order of KEYS
-- Returns {left, message, left, message, ...}, one pair per lock as release.lua returns it (a
-- message for a waiter of the releasing client is not published, see release.lua) with
-- "0" levels kept: 0 = freed (and handed over to its first live waiter, or that waiter woken),
-- -1 = the holder had no hold there; or {-2, error} for a lock whose release raised an error (its
-- key holds another type now), which leaves the others released. Every lock is released in the
-- same moment: a waiter handed one of them finds the others already free. Run twice, it does what
-- one run would.
--@include /io/holdfast/spi/hash-hold.lua
--@include queue.lua
local function release(i, holder)
  local lock, q, channel, token_key = lock_keys(i)
  local left = count_down(lock, holder, '0')
  local message
  if left == 0 then
    local _
    _, message = hand_over(lock, q, channel, token_key, nil, holder)
  end
  return left, message or ''
end

local reply = {}
for i = 1, #ARGV do
  -- a command error on one lock (its key now holds another type) fails that lock's release only
  local ok, left, message = pcall(release, i, ARGV[i])
  if ok then
    reply[2 * i - 1], reply[2 * i] = left, message
  else
    reply[2 * i - 1], reply[2 * i] = -2, type(left) == 'table' and left.err or tostring(left)
  end
end
return reply
