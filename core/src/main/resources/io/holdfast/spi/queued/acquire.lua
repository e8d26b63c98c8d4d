-- Queued lock (fair or barging, see QueuedHashKind): one acquisition attempt.
-- KEYS[1]  lock hash: field = holder id, value = hold count
-- KEYS[2]  queue LIST of waiting holder ids (see queue.lua)
-- KEYS[3]  waiter key prefix (waiter keys are this .. holder id; same hash tag as the lock)
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- ARGV[2]  lease in milliseconds
-- ARGV[3]  "reenter" or "reenter-kept" (see reenter in hash-hold.lua); "join" (the first attempt of a caller that waits if busy: join the queue);
--          "wait" (a later one: refresh its place; a hand-over may have granted it already);
--          "try" (never joins the queue)
-- ARGV[4]  waiter timeout in ms (patience): a waiter not renewed for this long counts as dead
-- ARGV[5]  "join"/"wait" only: "<lease>:<acquisition id>": the lease a release may hand the lock over
--          with ("0": wake me instead), and which acquisition of this holder waits
-- ARGV[6]  "fair": a free lock is mine only if no live waiter is queued before me; "barge": a
--          free lock is mine whoever waits
-- Returns {code, value}:
--   {1, token}  acquired: the lock was free (and, "fair", no live waiter before this holder), or
--               it had been handed over to this holder already; token = server time in µs, the
--               fencing token
--   {2, count}  re-entered; count = the new hold count
--   {0, ms}     busy ("join", "wait": now queued); ms = when to look again at the latest: the holder's
--               remaining lease, but no later than one waiter timeout (a dead waiter the lock
--               was handed over to holds it no longer, and its expiry publishes nothing), or 0 to
--               look again at once
--   {-1, 0}     "reenter", but the holder's hold is no longer there (lost)
--@include /io/holdfast/spi/hash-hold.lua
--@include queue.lua
local lock, queue, prefix, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local holder, lease, mode, patience = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])

if mode == 'reenter' or mode == 'reenter-kept' then
  return reenter(lock, holder, lease, mode)
end

local pttl = redis.call('PTTL', lock)
local look_again_now = false
if pttl == -2 and ARGV[6] == 'barge' then
  if mode == 'wait' then
    redis.call('DEL', prefix .. holder) -- queued: its entry is skipped when it comes to the head
  end
  return grant(lock, holder, lease)
elseif pttl == -2 then
  -- free: mine if no live waiter is before me; else the first live one gets it now
  local turn = hand_over(lock, queue, prefix, channel, holder)
  if turn == 'me' or turn == 'empty' then
    return grant(lock, holder, lease)
  end
  -- 'given': someone else holds it now; 'more': 100 dead waiters dropped, look again at once
  look_again_now = turn == 'more'
  pttl = redis.call('PTTL', lock)
elseif mode ~= 'join' and redis.call('HEXISTS', lock, holder) == 1 then
  -- handed over to this holder (its message is on the way or was lost), or left over from its
  -- lost hold: start again at one level. A first waiting attempt cannot have been handed over
  -- (it was not queued); a hold left over from a failed earlier acquisition, which the engine
  -- undoes at once anyway, is found by its next attempt
  redis.call('DEL', prefix .. holder)
  return grant(lock, holder, lease)
end

if mode == 'join' or mode == 'wait' then
  join(queue, prefix, holder, ARGV[5], patience)
end
if look_again_now then
  pttl = 0
elseif pttl < 0 or pttl > patience then
  pttl = patience
end
return {0, pttl}
