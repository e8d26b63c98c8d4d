-- Fair lock: one acquisition attempt.
-- KEYS[1]  lock hash: field = holder id, value = hold count
-- KEYS[2]  queue LIST of waiting holder ids (see queue.lua)
-- KEYS[3]  deadlines ZSET of those waiters
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- ARGV[2]  lease in milliseconds
-- ARGV[3]  "reenter"; "wait" (the caller waits if busy: join the queue, or refresh its deadline);
--          "try" (never joins the queue)
-- ARGV[4]  waiter timeout in ms: a waiter's deadline is server time + this
-- Returns {code, value}:
--   {1, token}  acquired: the lock was free and the queue empty or headed by this holder, which
--               left the queue; token = server time in microseconds, the fencing token
--   {2, count}  re-entered; count = the new hold count
--   {0, ms}     busy ("wait": now queued, deadline refreshed); ms = when to look again at the
--               latest: the head of the queue could be evicted then (the head's deadline), or,
--               for the head itself, the holder's lease runs out (PTTL; -1: no expiry)
--   {-1, 0}     "reenter", but the holder's hold is no longer there (lost)
-- Dead waiters (deadline passed, server time) are evicted first; if that leaves the lock free
-- with a new head that is not this holder, the new head is woken.
--@include /io/holdfast/spi/hash-hold.lua
--@include queue.lua
local lock, queue, deadlines, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local holder, lease, mode = ARGV[1], ARGV[2], ARGV[3]

if mode == 'reenter' then
  return reenter(lock, holder, lease)
end

local now = now_ms()
local evicted = evict(queue, deadlines, now)
local free = redis.call('EXISTS', lock) == 0
local head = redis.call('LINDEX', queue, 0)
-- free and my turn, or left over from this holder's lost hold: start again at one level
if (free and (not head or head == holder)) or (not free and redis.call('HEXISTS', lock, holder) == 1) then
  leave(queue, deadlines, holder)
  return grant(lock, holder, lease)
end

if evicted > 0 and free then
  wake_head(queue, deadlines, channel)
end
if mode == 'wait' then
  join(queue, deadlines, holder, now, tonumber(ARGV[4]))
end
if head and head ~= holder then
  local deadline = redis.call('ZSCORE', deadlines, head)
  if deadline then
    return {0, tonumber(deadline) - now}
  end
  return {0, 0} -- the head was evicted just now: look again at once
end
return {0, redis.call('PTTL', lock)}
