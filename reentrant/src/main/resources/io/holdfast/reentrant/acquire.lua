-- Queued lock (fair or barging, see QueuedHashKind): one acquisition attempt.
-- KEYS[1]  lock hash: field = holder id, value = hold count
-- KEYS[2]  queue ZSET of waiting holder ids, KEYS[3] waiters HASH, KEYS[4] deadlines ZSET (see
--          queue.lua; same hash tag as the lock)
-- KEYS[5]  wake-up channel
-- KEYS[6]  token key of the lock's slot (see fencing-token.lua)
-- ARGV[1]  holder id
-- ARGV[2]  lease in milliseconds
-- ARGV[3]  "reenter" or "reenter-kept" (see reenter in hash-hold.lua); "join" (the first attempt of
--          a caller that waits if busy: join the queue); "wait" (a later one: refresh its place; a
--          hand-over may have granted it already); "try" (never joins the queue)
-- ARGV[4]  waiter timeout in ms (patience): a waiter not renewed for this long counts as dead (its
--          deadline, see queue.lua)
-- ARGV[5]  "join"/"wait": "<lease>:<acquisition id>": the lease a release may hand the lock over
--          with ("0": wake me instead), and which acquisition of this holder waits;
--          "reenter"/"reenter-kept": the hold count after the re-entry
-- ARGV[6]  "fair": a free lock is mine only if no live waiter is queued before me; "barge": a
--          free lock is mine whoever waits
-- Returns {code, value[, 0, placement]}:
--   {1, token}  acquired: the lock was free (and, "fair", no live waiter before this holder), or
--               it had been handed over to this holder already; token: see fencing-token.lua
--   {2, count}  re-entered; count = the new hold count
--   {0, ms, 0, placement}  busy ("join", "wait": now queued, waiting with `placement`, the value of
--               its waiter entry, see queue.lua); ms = when to look again at the latest: the holder's
--               remaining lease, but no later than one waiter timeout (a dead waiter the lock was
--               handed over to holds it no longer, and its expiry publishes nothing), or 0 to look
--               again at once
--   {-1, 0}     "reenter", but the holder's hold is no longer there (lost)
-- Run twice (a re-sent command), it does what one run would: a hold granted by the first run is
-- found and granted again; a re-entry sets the same count.
--@include /io/holdfast/spi/hash-hold.lua
--@include queue.lua
local lock, q, channel, token_key = KEYS[1], queue_keys(), KEYS[5], KEYS[6]
local holder, lease, mode, patience = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])

if mode == 'reenter' or mode == 'reenter-kept' then
  return reenter(lock, holder, ARGV[5], lease, mode)
end

local pttl = redis.call('PTTL', lock)
local look_again_now = false
if pttl == -2 and ARGV[6] == 'barge' then
  if mode == 'wait' then
    leave(q, holder) -- queued: it leaves, the others keep their order
  end
  return grant(lock, holder, lease, token_key)
elseif pttl == -2 then
  -- free: mine if no live waiter is before me; else the first live one gets it now
  local turn = hand_over(lock, q, channel, token_key, holder)
  if turn == 'me' or turn == 'empty' then
    return grant(lock, holder, lease, token_key)
  end
  -- 'given': someone else holds it now; 'more': 100 dead waiters dropped, look again at once
  look_again_now = turn == 'more'
  pttl = redis.call('PTTL', lock)
elseif redis.call('HEXISTS', lock, holder) == 1 then
  -- handed over to this holder (its message is on the way or was lost), granted by an earlier run
  -- of this very command (re-sent after a reconnect), or left over from its lost hold: start again
  -- at one level
  leave(q, holder)
  return grant(lock, holder, lease, token_key)
end

-- busy: a lock hash of this kind has one field, a holder id ("<client>:<thread>" or "<client>:o<owner>"),
-- whose value is a hold count;
-- or '<holder id>:expiring' (a hold ended by unlock-after.lua, kept until its lease runs out);
-- the read-write lock of the same name (a 'mode' field) is another kind's hold: busy as well.
-- Anything else is somebody else's data: an error, never a wait that cannot end.
-- Two commands in the usual case (one field: HLEN, then HRANDFIELD of that field with its value)
if pttl ~= -2 then
  local n = redis.call('HLEN', lock)
  local field, count = '(' .. n .. ' fields)', ''
  if n == 1 then
    local only = redis.call('HRANDFIELD', lock, 1, 'WITHVALUES')
    field, count = only[1], only[2]
  end
  local ours = field == 'mode' or (n == 1 and string.match(count, '^%d+$')
      and (string.match(field, '^.+:o?%-?%d+$') or string.match(field, '^.+:o?%-?%d+:expiring$')))
  if not ours and not (n > 1 and redis.call('HEXISTS', lock, 'mode') == 1) then
    return redis.error_reply('WRONGTYPE the lock key holds a hash that is not a Holdfast lock (field '
        .. field .. '); nothing was changed')
  end
end

local placement = 0
if mode == 'join' or mode == 'wait' then
  placement = join(q, holder, ARGV[5], patience)
end
if look_again_now then
  pttl = 0
elseif pttl < 0 or pttl > patience then
  pttl = patience
end
return {0, pttl, 0, placement}
