-- Fragment (see Script, "Fragments"): the fair lock's queue of waiters. Defines functions only.
--
-- queue      LIST of holder ids, first come first; the head is next in line
-- deadlines  ZSET holder id -> server time (ms) after which that waiter counts as dead
-- A waiter is in both or in neither. Both keys get a TTL at least as long as their latest
-- deadline, so a queue whose every waiter died disappears by itself. Removing the last waiter
-- deletes them at once (an empty LIST or ZSET is no key).

-- Server time in milliseconds.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Makes key live at least ms milliseconds more.
local function keep_until(key, ms)
  if redis.call('PTTL', key) < ms then
    redis.call('PEXPIRE', key, ms)
  end
end

-- Removes waiters whose deadline has passed, at most 100 per call so a script stays short.
-- Returns how many were removed.
local function evict(queue, deadlines, now)
  local dead = redis.call('ZRANGEBYSCORE', deadlines, '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(dead) do
    redis.call('LREM', queue, 1, id)
  end
  if #dead > 0 then
    redis.call('ZREM', deadlines, unpack(dead))
  end
  return #dead
end

-- Puts holder at the tail unless queued already; either way its deadline becomes now + patience.
local function join(queue, deadlines, holder, now, patience)
  if redis.call('ZADD', deadlines, now + patience, holder) == 1 then
    redis.call('RPUSH', queue, holder)
  end
  keep_until(queue, patience)
  keep_until(deadlines, patience)
end

-- Takes holder out of the queue if it is there.
local function leave(queue, deadlines, holder)
  if redis.call('ZREM', deadlines, holder) == 1 then
    redis.call('LREM', queue, 1, holder)
  end
end

-- The lock is free: evicts dead waiters, then wakes the head only (its client's waiter of that
-- holder id; see WakeMessage.HOLDER_PREFIX).
local function wake_head(queue, deadlines, channel)
  evict(queue, deadlines, now_ms())
  local head = redis.call('LINDEX', queue, 0)
  if head then
    redis.call('PUBLISH', channel, '=' .. head)
  end
end
