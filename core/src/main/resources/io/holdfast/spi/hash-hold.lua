-- Fragment (see Script, "Fragments"): one holder's hold on a lock hash of holder id -> hold count.
-- Shared by the acquire and release scripts of every hash lock kind (reentrant, fair), so that
-- re-entry, the fencing token and the release at zero are written once. Defines functions only.

-- One more level of holder's existing hold. With mode "reenter" the lease is extended to `lease`
-- ms if it has less left, never shortened: a nested hold with a short lease must not cut the
-- outer hold's lease. With "reenter-kept" (a watchdog re-entry of a watchdog hold: the watchdog
-- keeps the lease) the lease is left alone, so a level costs one command.
-- Returns {2, count} (re-entered, the new count) or {-1, 0} if the hold is gone (lost).
local function reenter(lock, holder, lease, mode)
  local count = redis.call('HINCRBY', lock, holder, 1)
  if count == 1 then
    -- the hold was gone, and HINCRBY just made a field for it: take that back (if the hash had no
    -- other field, this deletes the key HINCRBY created)
    redis.call('HDEL', lock, holder)
    return {-1, 0}
  end
  if mode ~= 'reenter-kept' and redis.call('PTTL', lock) < tonumber(lease) then
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
  local count = redis.call('HINCRBY', lock, holder, -1)
  if count > 0 then
    return count
  end
  -- 0: the server counted fewer levels than the client, so the hold ends here; -1: it was gone,
  -- and HINCRBY just made a field for it. Either way the field goes (the key with it, as the
  -- holder is the only field of an exclusive lock hash)
  redis.call('HDEL', lock, holder)
  return count
end
