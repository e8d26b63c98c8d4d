-- Distributed condition (see EngineCondition): signal() or signalAll() by a holder of the lock.
-- KEYS[1]  lock hash (field = holder id, value = hold count)
-- KEYS[2]  the condition's queue ZSET, KEYS[3] its deadlines ZSET (see condition.lua)
-- KEYS[4]  the condition's channel
-- ARGV[1]  holder id: must hold the lock on the server
-- ARGV[2]  "one": wake the longest-waiting live waiter; "all": wake every waiter
-- Returns {n, message}: n waiters signalled (their entries are gone: that is the signal; the message
-- only tells them sooner), message the one published ("=<waiter id>" for one, "*" for all, "" if
-- none); {-1, ""} if the holder has no hold on the lock (lost): nothing changed. Dead waiters met on
-- the way are dropped (each once: the cost is amortised over their registrations). Not idempotent:
-- a signal re-sent after a reconnect may wake a second waiter (a spurious wake-up for it).
--@include condition.lua
local lock, queue, deadlines, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('HEXISTS', lock, ARGV[1]) == 0 then
  return {-1, ''}
end
local now = cond_now_ms()
if ARGV[2] == 'all' then
  local n = redis.call('ZCOUNT', deadlines, '(' .. now, '+inf')
  redis.call('DEL', queue, deadlines)
  if n == 0 then
    return {0, ''}
  end
  redis.call('PUBLISH', channel, '*')
  return {n, '*'}
end
while true do
  local head = redis.call('ZPOPMIN', queue)[1]
  if not head then
    return {0, ''}
  end
  local live = cond_alive(deadlines, head, now)
  redis.call('ZREM', deadlines, head)
  if live then
    local message = '=' .. head
    redis.call('PUBLISH', channel, message)
    return {1, message}
  end
end
