-- Reentrant lock: one acquisition attempt.
-- KEYS[1]  lock hash: field = holder id, value = hold count
-- ARGV[1]  holder id
-- ARGV[2]  lease in milliseconds
-- ARGV[3]  "fresh" (the holder has no live hold in its client), "reenter" or "reenter-kept"
--          (see reenter in hash-hold.lua)
-- Returns {code, value}:
--   {1, token}  acquired; token = server time in microseconds, the fencing token
--   {2, count}  re-entered; count = the new hold count
--   {0, pttl}   held by someone else; pttl = their remaining lease in ms (-1: no expiry)
--   {-1, 0}     "reenter", but the holder's hold is no longer there (lost)
-- A key of another type fails the script with WRONGTYPE before anything is written.
--@include /io/holdfast/spi/hash-hold.lua
local lock, holder, lease = KEYS[1], ARGV[1], ARGV[2]

if ARGV[3] == 'reenter' or ARGV[3] == 'reenter-kept' then
  return reenter(lock, holder, lease, ARGV[3])
end
if redis.call('EXISTS', lock) == 1 and redis.call('HEXISTS', lock, holder) == 0 then
  return {0, redis.call('PTTL', lock)}
end
-- free, or left over from this holder's lost hold: start again at one level
return grant(lock, holder, lease)
