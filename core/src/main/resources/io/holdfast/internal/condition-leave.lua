-- Distributed condition (see EngineCondition): a waiter that stops waiting without having seen its
-- signal (timed out, interrupted) leaves.
-- KEYS[1]  the condition's queue ZSET, KEYS[2] its deadlines ZSET (see condition.lua)
-- ARGV[1]  waiter id
-- Returns 1 if it was still waiting (not signalled): it is gone now, and no later signal can pick
-- it; 0 if it was not there: it was signalled (or dropped as dead, which its caller reports as a
-- spurious wake-up). Run twice, the second run returns 0.
local waiting = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return waiting
