-- Queued lock (fair or barging, see QueuedHashKind): zero-wait attempts ("try", never queued) on
-- several locks of one Cluster slot (any names on one server), all or none, in one call.
-- KEYS     5 per lock, lock after lock, each as acquire.lua takes them: lock hash, queue ZSET,
--          waiters HASH, wake-up channel, token key
-- ARGV[1]  lease in milliseconds
-- ARGV[2]  waiter timeout in ms (see acquire.lua)
-- ARGV[3]  "fair" or "barge" (see acquire.lua)
-- ARGV[4..] the holder id of each lock, in the order of KEYS
-- Returns {1, token, token, ...}: every lock taken, each with its token (see fencing-token.lua);
-- or, for the first lock not taken, acquire.lua's busy reply with its index (1-based) appended,
-- {0, ms, 0, 0, i}, or an error reply whose message ends with " [lock i]" (a lock's key holds
-- another type, or a hash that is not a Holdfast lock: the error is caught, not left to abort the
-- script half-way). Then none of the locks is held: those taken before it are dropped again in
-- this call (a lock freed that way goes to its first live waiter, as at a release), so nobody ever
-- sees a part of them taken. A token drawn for a lock given back is not used again: tokens still
-- only grow.
-- Run twice (a re-sent command), it does what one run would: holds granted by the first run are
-- found and granted again.
--@include attempt.lua
local n = #ARGV - 3
local lease, patience, policy = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local reply = {1}
for i = 1, n do
  local lock, q, channel, token_key = lock_keys(i)
  -- a command on a key of another type raises an error, which would end the script with the locks
  -- before this one taken (Redis keeps what a script wrote before an error): caught here instead
  local ok, r = pcall(attempt, lock, q, channel, token_key, ARGV[3 + i], lease, 'try', patience, '0:0', policy)
  local err = (not ok and (type(r) == 'table' and r.err or tostring(r))) or (ok and r.err)
  if err or r[1] ~= 1 then
    for j = 1, i - 1 do
      local taken, tq, tchannel, ttoken = lock_keys(j)
      drop_hold(taken, tq, tchannel, ttoken, ARGV[3 + j])
    end
    if err then
      return redis.error_reply(err .. ' [lock ' .. i .. ']')
    end
    r[5] = i
    return r
  end
  reply[i + 1] = r[2]
end
return reply
