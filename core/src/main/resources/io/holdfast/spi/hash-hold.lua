-- Fragment (see Script, "Fragments"): one holder's hold on a lock hash of holder id -> hold count.
-- Shared by the acquire and release scripts of every hash lock kind (reentrant, fair), so that
-- re-entry, the fencing token and the release at zero are written once. Defines functions only.

-- One more level of holder's existing hold. The lease is extended to `lease` ms if it has less
-- left, never shortened: a nested hold with a short lease must not cut the outer hold's lease.
-- Returns {2, count} (re-entered, the new count) or {-1, 0} if the hold is gone (lost).
local function reenter(lock, holder, lease)
  if redis.call('HEXISTS', lock, holder) == 0 then
    return {-1, 0}
  end
  local count = redis.call('HINCRBY', lock, holder, 1)
  if redis.call('PTTL', lock) < tonumber(lease) then
    redis.call('PEXPIRE', lock, lease)
  end
  return {2, count}
end

-- The first level of holder's hold (the caller checked the lock is free for it).
-- Returns {1, token}: the fencing token is the server time in microseconds.
local function grant(lock, holder, lease)
  redis.call('HSET', lock, holder, 1)
  redis.call('PEXPIRE', lock, lease)
  local now = redis.call('TIME')
  return {1, tonumber(now[1]) * 1000000 + tonumber(now[2])}
end

-- One level less of holder's hold; `last` ("last"): the client's last level, so the whole hold
-- goes at once, whatever the server counted (one command: removing the only field of the hash
-- deletes the key). Returns the levels left: 0 = the lock key was deleted (free); -1 = the holder
-- has no hold here (lease expired or force-unlocked), nothing was changed.
local function release_level(lock, holder, last)
  if last == 'last' then
    if redis.call('HDEL', lock, holder) == 0 then
      return -1
    end
    return 0
  end
  local count = tonumber(redis.call('HGET', lock, holder))
  if count == nil then
    return -1
  end
  if count > 1 then
    return redis.call('HINCRBY', lock, holder, -1)
  end
  redis.call('DEL', lock)
  return 0
end
