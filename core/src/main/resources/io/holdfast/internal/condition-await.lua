-- Distributed condition (see EngineCondition): registers a waiter, before its holder releases the
-- lock (so a signal after the release always finds it).
-- KEYS[1]  lock hash (field = holder id, value = hold count)
-- KEYS[2]  the condition's queue ZSET, KEYS[3] its deadlines ZSET (see condition.lua)
-- ARGV[1]  holder id: must hold the lock on the server
-- ARGV[2]  waiter id ("<holder id>:c<n>")
-- ARGV[3]  waiter timeout in ms: the waiter is dead unless renewed within it
-- Returns 1 registered (at the tail of the queue); 0 the holder has no hold on the lock (its hold was
-- lost): nothing changed. Run twice, it keeps the waiter's place. Drops up to 100 dead waiters.
--@include condition.lua
local lock, queue, deadlines = KEYS[1], KEYS[2], KEYS[3]
local holder, id, patience = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('HEXISTS', lock, holder) == 0 then
  return 0
end
local now = cond_now_ms()
cond_drop_dead(queue, deadlines, now, 100)
if not redis.call('ZSCORE', queue, id) then
  local tail = redis.call('ZREVRANGE', queue, '0', '0', 'WITHSCORES')
  redis.call('ZADD', queue, string.format('%d', (tonumber(tail[2]) or 0) + 1), id)
end
redis.call('ZADD', deadlines, string.format('%d', now + patience), id)
cond_keep_alive({queue, deadlines}, 3 * patience)
return 1
