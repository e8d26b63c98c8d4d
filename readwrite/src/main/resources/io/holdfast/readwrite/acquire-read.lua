-- Read-write lock: one attempt at the read lock (state layout and helpers: lib.lua).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel (unused)                  KEYS[5]  turn (see open_turn)
-- KEYS[6]  token key of the lock's slot (see fencing-token.lua)
-- ARGV[1]  holder id
-- ARGV[2]  lease in milliseconds
-- ARGV[3]  "fresh" (the holder has no live read hold in its client) or "reenter"
-- ARGV[4]  server ms of this acquisition's first busy reply, "0" on its first attempt
-- ARGV[5]  "wait" (the caller waits if busy: it counts as a waiting reader for the next turn)
--          or "try" (it gives up at once: no turn is opened for it)
-- ARGV[6]  "reenter": the read hold count after it (the client's count + 1)
-- Returns {code, value}:
--   {1, token}  acquired; token: see fencing-token.lua
--   {2, count}  re-entered; count = the new read hold count (re-entry never waits for a writer)
--   {0, ms, now} must wait: a writer holds the lock, or a writer waits (writer preference) and this
--               reader was not already waiting when the last write hold was released; ms = time
--               until the earliest lease or intent deadline, when that may change silently;
--               now = server ms, sent back as ARGV[4] by later attempts
--   {-1, 0}     "reenter", but the holder's read hold is gone (lost)
-- A lock hash without a 'mode' field is held by another kind of lock of the same name (the
-- exclusive or fair lock, see held_by_other_kind in lib.lua): busy, never granted, never modified.
--@include lib.lua

local L, leases, intents = KEYS[1], KEYS[2], KEYS[3]
local holder, lease = ARGV[1], tonumber(ARGV[2])
local member = 'r:' .. holder
local now, time = clock()
purge(L, leases, now)

if ARGV[3] == 'reenter' then
  return reenter(L, leases, member, ARGV[6], lease, now)
end
local mode, writer = unpack(redis.call('HMGET', L, 'mode', 'writer'))
local other_kind = held_by_other_kind(L, mode, now)
if other_kind then
  return other_kind
end
if mode == 'write' then
  if writer ~= holder then
    reader_waits(KEYS[5], now, ARGV[5])
    return busy(leases, now)
  end
  -- the writer's own read hold: granted at once, whoever waits (this is how a writer downgrades)
  return grant(L, leases, member, lease, now, time, KEYS[6])
end
local _, intent_deadline = first_intent(intents, now)
if intent_deadline then
  if not has_turn(KEYS[5], tonumber(ARGV[4]) or 0) then
    reader_waits(KEYS[5], now, ARGV[5])
    return {0, intent_deadline - now, now}
  end
  redis.call('HDEL', KEYS[5], 'grace') -- a reader of the turn is in: the writer waits for its hold now
end
return grant(L, leases, member, lease, now, time, KEYS[6], 'mode', 'read')
