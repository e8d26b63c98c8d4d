-- Fragment (see Script, "Fragments"): one holder's hold on a lock hash of holder id -> hold count,
-- whose lease is the hash's TTL (one holder at a time). Shared by the acquire and release scripts of
-- every exclusive kind (reentrant, fair), but for their re-entries (hash-reenter.lua); the count
-- follows hold-count.lua, the rule the read-write lock follows too, and the token
-- fencing-token.lua. Defines functions only.
--@include fencing-token.lua
--@include hold-count.lua

-- The first level of holder's hold (the caller checked the lock is free for it).
-- Returns {1, token} (see fencing-token.lua).
local function grant(lock, holder, lease, token_key)
  redis.call('HSET', lock, holder, '1')
  redis.call('PEXPIRE', lock, lease)
  return {1, tonumber(next_token(token_key))}
end

-- One level less: count_down(lock, holder, left) of hold-count.lua; removing the only field of the
-- hash deletes the key, and with it the lease.
