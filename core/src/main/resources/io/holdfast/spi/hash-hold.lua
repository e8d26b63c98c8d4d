-- Fragment (see Script, "Fragments"): one holder's hold on a lock hash of holder id -> hold count.
-- Shared by the acquire and release scripts of every hash lock kind (reentrant, fair), so that
-- re-entry, the fencing token and the release at zero are written once. Defines functions only.
--@include fencing-token.lua

-- Delivery: a script may run twice (Lettuce re-sends a command whose reply it did not read when it
-- reconnects), so a level change never counts from what the server has: it carries the count the
-- client's holder has after it and sets that (see the README's "Delivery"). Run twice, it sets the
-- same count twice; and it never writes a holder's field that is gone.

-- Re-entry of holder's existing hold: its count becomes `level` (the client's count + 1). With mode
-- "reenter" the lease is extended to `lease` ms if it has less left, never shortened: a nested hold
-- with a short lease must not cut the outer hold's lease. With "reenter-kept" (a watchdog re-entry
-- of a watchdog hold: the watchdog keeps the lease) the lease is left alone.
-- Returns {2, level} (re-entered) or {-1, 0} if the hold is gone (lost).
local function reenter(lock, holder, level, lease, mode)
  if redis.call('HEXISTS', lock, holder) == 0 then
    return {-1, 0}
  end
  redis.call('HSET', lock, holder, level)
  if mode ~= 'reenter-kept' and redis.call('PTTL', lock) < tonumber(lease) then
    redis.call('PEXPIRE', lock, lease)
  end
  return {2, tonumber(level)}
end

-- The first level of holder's hold (the caller checked the lock is free for it).
-- Returns {1, token} (see fencing-token.lua).
local function grant(lock, holder, lease, token_key)
  redis.call('HSET', lock, holder, 1)
  redis.call('PEXPIRE', lock, lease)
  return {1, tonumber(next_token(token_key))}
end

-- One level less of holder's hold: `left` levels stay (the client's count - 1); 0: the client's
-- last level, so the whole hold goes at once, whatever the server counted (removing the only field
-- of the hash deletes the key). Returns `left`, or -1 if the holder has no hold here (lease expired,
-- force-unlocked, or - run a second time - this release already removed it); nothing was changed.
local function release_level(lock, holder, left)
  if left == '0' then
    if redis.call('HDEL', lock, holder) == 0 then
      return -1
    end
    return 0
  end
  if redis.call('HEXISTS', lock, holder) == 0 then
    return -1
  end
  redis.call('HSET', lock, holder, left)
  return tonumber(left)
end
