-- Fragment (see Script, "Fragments"): one holder's hold on a lock hash of holder id -> hold count,
-- whose lease is the hash's TTL (one holder at a time). Shared by the acquire and release scripts of
-- every exclusive kind (reentrant, fair); the count follows hold-count.lua, the rule the read-write
-- lock follows too, and the token fencing-token.lua. Defines functions only.
--@include fencing-token.lua
--@include hold-count.lua

-- Re-entry of holder's existing hold: its count becomes `level` (the client's count + 1). With mode
-- "reenter" the lease is extended to `lease` ms if it has less left, never shortened: a nested hold
-- with a short lease must not cut the outer hold's lease. With "reenter-kept" (a watchdog re-entry
-- of a watchdog hold: the watchdog keeps the lease) the lease is left alone.
-- Returns {2, level} (re-entered) or {-1, 0} if the hold is gone (lost).
local function reenter(lock, holder, level, lease, mode)
  if not set_count(lock, holder, level) then
    return {-1, 0}
  end
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

-- One level less: count_down(lock, holder, left) of hold-count.lua; removing the only field of the
-- hash deletes the key, and with it the lease.
