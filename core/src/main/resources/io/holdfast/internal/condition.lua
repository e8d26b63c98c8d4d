-- Fragment (see Script, "Fragments"): the waiters of one distributed condition (see
-- EngineCondition). Defines functions only. Every key is passed in KEYS, in the lock's hash tag
-- (LockKeys.CONDITION, LockKeys.CONDITION_DEADLINES + the condition's name); no key name is built here.
--
-- queue       ZSET waiter id -> arrival number: a signal wakes the lowest first (FIFO). A waiter id
--             is "<holder id>:c<n>": one per await call, never reused
-- deadlines   ZSET waiter id -> server time (ms) until which the waiter is alive: its registration
--             or last renewal + the waiter timeout. A waiter whose deadline is not ahead of the
--             server's time is dead (its process died or stopped renewing): a signal skips and drops
--             it, it is never revived.
-- A waiter's two entries come and go together. A signalled waiter has none: that absence is what
-- the waiter reads as "signalled" (so a lost wake-up message costs one check, never a signal).
-- Both keys live at least 3 waiter timeouts after the last registration or renewal, so a
-- condition whose waiters all died disappears by itself; emptied, they vanish at once.

-- Server time in ms.
local function cond_now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Makes each of `keys` live at least `ttl` ms.
local function cond_keep_alive(keys, ttl)
  for _, key in ipairs(keys) do
    if redis.call('PTTL', key) < ttl then
      redis.call('PEXPIRE', key, ttl)
    end
  end
end

-- Drops up to `limit` dead waiters (deadline not ahead of `now`) from both keys.
local function cond_drop_dead(queue, deadlines, now, limit)
  local dead = redis.call('ZRANGEBYSCORE', deadlines, '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(dead) do
    redis.call('ZREM', queue, id)
    redis.call('ZREM', deadlines, id)
  end
end

-- Whether waiter `id` is alive at server time `now`.
local function cond_alive(deadlines, id, now)
  local deadline = redis.call('ZSCORE', deadlines, id)
  return deadline ~= false and deadline ~= nil and tonumber(deadline) > now
end
