-- Fragment (see Script, "Fragments"): the re-entry of a hold on a lock hash of holder id -> hold
-- count whose lease is the hash's TTL (the hold of hash-hold.lua). Apart from hash-hold.lua so that
-- a re-entry script includes it without the grant and the fencing token it never uses: a script
-- defines every function it includes on each call (see QueuedHashKind, "Re-entry"). Defines
-- functions only.
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
