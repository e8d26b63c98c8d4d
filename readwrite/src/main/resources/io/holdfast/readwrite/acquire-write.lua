-- Read-write lock: one attempt at the write lock (state layout and helpers: lib.lua).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel (unused)                  KEYS[5]  turn (see open_turn)
-- KEYS[6]  token key of the lock's slot (see fencing-token.lua)
-- ARGV[1]  holder id
-- ARGV[2]  lease in milliseconds
-- ARGV[3]  "fresh" (the holder has no live write hold in its client) or "reenter"
-- ARGV[4]  intent lease in milliseconds if the caller will wait, else 0
-- ARGV[5]  "reenter": the write hold count after it (the client's count + 1)
-- Returns {code, value[, reason]}:
--   {1, token}  acquired; token: see fencing-token.lua; the holder's intent is gone
--   {2, count}  re-entered; count = the new write hold count
--   {0, ms, now} held by others, or free but the readers' turn opened less than TURN_GRACE_MS ago;
--               ms = time until the earliest lease deadline (or the grace's end). If ARGV[4] > 0
--               the holder's intent is recorded (or refreshed) for ARGV[4] ms: new readers wait for it
--   {-1, 0}     "reenter", but the holder's write hold is gone (lost)
--   {-2, 0, reason}  the holder holds the read lock: a read-to-write upgrade, refused at once
-- A lock hash without a 'mode' field is held by another kind of lock of the same name (the
-- exclusive or fair lock, see held_by_other_kind in lib.lua): busy, never granted, never modified.
--@include lib.lua

local L, leases, intents = KEYS[1], KEYS[2], KEYS[3]
local holder, lease, intent_ms = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4])
local member = 'w:' .. holder
local now, time = clock()
purge(L, leases, now)

if ARGV[3] == 'reenter' then
  return reenter(L, leases, member, ARGV[5], lease, now)
end
local mode, writer, own_read = unpack(redis.call('HMGET', L, 'mode', 'writer', 'r:' .. holder))
local other_kind = held_by_other_kind(L, mode, now)
if other_kind then
  return other_kind
end
if own_read then
  return {-2, 0, 'read-to-write upgrade: the holder holds the read lock; '
      .. 'release it before taking the write lock (waiting for it would deadlock)'}
end
local grace = (not mode) and turn_grace(KEYS[5], now) or 0
if (not mode and grace == 0) or writer == holder then
  -- free, or a leftover of this holder's own lost write hold: start again at one level
  if intent_ms > 0 then
    redis.call('ZREM', intents, holder)
  end
  return grant(L, leases, member, lease, now, time, KEYS[6], 'mode', 'write', 'writer', holder)
end
if intent_ms > 0 then
  redis.call('ZREMRANGEBYSCORE', intents, '-inf', now)
  redis.call('ZADD', intents, int(now + intent_ms), holder)
  keep_alive(intent_ms, intents)
end
if grace > 0 then
  return {0, grace, now}
end
return busy(leases, now)
