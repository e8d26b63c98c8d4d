-- Read-write lock: functions shared by its scripts, each of which includes this file with
-- `--@include lib.lua` (see Script, "Fragments"), so only `local function`s live here and nothing runs.
--
-- State of lock L; every key carries L's hash tag, so all of them live in one Cluster slot:
--   L          hash  mode     'read' | 'write'
--                    writer   holder id of the write hold (write mode only)
--                    r:<id>   read hold count of holder <id>
--                    w:<id>   write hold count of holder <id>
--   L:leases   zset  r:<id> / w:<id> -> lease deadline, server time in ms. A hold is alive while its
--                    deadline is ahead; every hold has its own, whoever renews theirs.
--   L:intents  zset  <id> -> deadline (server ms) of the intent of writer <id>, who waits
--   L:turn     hash  waiting  server ms when a reader last found it had to wait
--                    at       server ms of the last write release that found readers and a writer
--                             waiting: the readers waiting since before it enter ahead of that
--                             writer (see open_turn)
--                    grace    until when (server ms) a writer leaves the free lock to them; gone
--                             as soon as one of them is in
-- L and L:leases exist together, exactly while L:leases has members. A key's TTL is never shorter
-- than its longest deadline (see keep_alive), so the keys of an abandoned lock vanish by themselves. Holds whose
-- deadline passed are removed by the next script that changes the lock (purge), which only ever
-- reads the expired members: no script scans the live holds.

--@include /io/holdfast/spi/renew-each.lua
--@include /io/holdfast/spi/fencing-token.lua
--@include /io/holdfast/spi/hold-count.lua
--@include /io/holdfast/spi/publish.lua

-- Holds: a field per hold of L, counted as every kind counts (hold-count.lua, delivery included);
-- each hold's lease is its own deadline in L:leases, since many readers hold at once.

-- Server time in ms (deadlines), and the TIME reply it comes from (for next_token).
local function clock()
  local t = redis.call('TIME')
  local us = tonumber(t[1]) * 1000000 + tonumber(t[2])
  return math.floor(us / 1000), t
end

-- An integer as Redis should store it (Lua would print a large number as 1.7e+15).
local function int(n)
  return string.format('%d', n)
end

-- Makes key k1 (and k2, which always has the same TTL) live at least ms more; never shortens it,
-- since another hold may have a longer lease. One that has less gets one and a half times ms, so
-- that holds taken or renewed one after another with the same lease write it once per half lease,
-- not each time (one PTTL in the usual case).
local function keep_alive(ms, k1, k2)
  if redis.call('PTTL', k1) < ms then
    local longer = int(ms + math.floor(ms / 2))
    redis.call('PEXPIRE', k1, longer)
    if k2 then
      redis.call('PEXPIRE', k2, longer)
    end
  end
end

-- Removes the holds `members` ('r:<id>' / 'w:<id>'); `counted_down`: their fields of L are gone
-- already (count_down deleted them), only their leases are left to remove. Returns whether the
-- lock is still held; when the write hold went and the writer's own read holds remain, the lock is
-- in read mode now.
local function drop(L, leases, members, counted_down)
  local writer_went = false
  for _, m in ipairs(members) do
    if not counted_down then
      redis.call('HDEL', L, m)
    end
    redis.call('ZREM', leases, m)
    writer_went = writer_went or string.sub(m, 1, 2) == 'w:'
  end
  if redis.call('ZCARD', leases) == 0 then
    redis.call('DEL', L, leases)
    return false
  end
  if writer_went then
    redis.call('HDEL', L, 'writer')
    redis.call('HSET', L, 'mode', 'read')
  end
  return true
end

-- Busy reply if L is held by another kind of lock of the same name (the exclusive or fair lock:
-- a hash without our 'mode' field), which this script never grants nor modifies; else nil.
-- `mode`: L's 'mode' field as the caller's HMGET read it (a key of another type failed there with
-- WRONGTYPE), so only a lock without one costs a command here.
local function held_by_other_kind(L, mode, now)
  if not mode and redis.call('EXISTS', L) == 1 then
    local pttl = redis.call('PTTL', L)
    return {0, pttl > 0 and pttl or 1000, now}
  end
  return nil
end

-- Removes the holds whose lease ran out.
local function purge(L, leases, now)
  local dead = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  if #dead > 0 then
    drop(L, leases, dead)
  end
end

-- The first live writer intent: holder id and deadline, or nil.
local function first_intent(intents, now)
  local first = redis.call('ZRANGEBYSCORE', intents, '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', '0', '1')
  if first[1] then
    return first[1], tonumber(first[2])
  end
  return nil
end

-- Reply to an attempt that must wait for the holders: {0, ms until the earliest lease deadline,
-- server ms now}; the deadline is when the holders may change without any release message, and
-- the engine sends the first such `now` back with later attempts as the time the caller began
-- to wait (a reader's ARGV[4]).
local function busy(leases, now)
  local first = redis.call('ZRANGE', leases, '0', '0', 'WITHSCORES')
  if not first[2] then
    return {0, -1, now}
  end
  return {0, math.max(1, tonumber(first[2]) - now), now}
end

-- How long L:turn outlives its last change: a reader that has waited longer than this falls back
-- to plain writer preference. Waiting readers retry at least every 5 s, so they keep it alive.
local TURN_TTL_MS = 60000
-- After a turn opens, a waiting writer that finds the lock free leaves it to the woken readers for
-- this long (they are on their way); once one is in, the writer waits for the read holds anyway.
local TURN_GRACE_MS = 10

-- A reader has to wait: remembered, so that the next write release gives the readers a turn.
-- `mode` is the reader's ARGV[5]: a reader that gives up at once ("try") is not remembered.
local function reader_waits(turn, now, mode)
  if mode == 'wait' then
    redis.call('HSET', turn, 'waiting', int(now))
    redis.call('PEXPIRE', turn, TURN_TTL_MS)
  end
end

-- A write phase ends (the last write level is released). If readers have been waiting and a
-- writer waits, the readers that were waiting before this moment get their turn ahead of it (the
-- caller wakes every waiter). Readers that come later wait for the writer: phase-fair, neither
-- side starves.
-- Returns whether it opened a turn.
local function open_turn(intents, turn, now)
  if redis.call('HGET', turn, 'waiting') and first_intent(intents, now) then
    redis.call('HSET', turn, 'at', int(now), 'grace', int(now + TURN_GRACE_MS))
    redis.call('HDEL', turn, 'waiting')
    return true
  end
  return false
end

-- Whether a reader waiting since `since` (server ms, 0 = it has not waited) may pass the writers
-- that wait now: it was already waiting when the last write phase ended.
local function has_turn(turn, since)
  if since == 0 then
    return false
  end
  local opened = redis.call('HGET', turn, 'at')
  return opened ~= false and since <= tonumber(opened)
end

-- For a writer that finds the lock free: ms to leave it to the readers whose turn just opened
-- and none of whom is in yet, or 0.
local function turn_grace(turn, now)
  local grace = redis.call('HGET', turn, 'grace')
  if not grace then
    return 0
  end
  return math.max(0, tonumber(grace) - now)
end

-- Grants one level of the new hold `member` for `lease` ms, setting the extra hash fields `...`
-- too. Replies ACQUIRED with the fencing token (see fencing-token.lua; token_key: KEYS[6]; time:
-- the TIME reply `now` comes from, see clock).
local function grant(L, leases, member, lease, now, time, token_key, ...)
  local token = next_token(token_key, time)
  redis.call('HSET', L, member, '1', ...)
  redis.call('ZADD', leases, int(now + lease), member)
  keep_alive(lease, L, leases)
  return {1, tonumber(token)}
end

-- Re-entry of a holder of `member`: its count becomes `level` (the client's count + 1) and its lease
-- at least `lease` ms from now. Replies REENTERED with the count, or GONE (after purge, a present
-- member is alive).
local function reenter(L, leases, member, level, lease, now)
  if not set_count(L, member, level) then
    return {-1, 0}
  end
  redis.call('ZADD', leases, 'GT', int(now + lease), member)
  keep_alive(lease, L, leases)
  return {2, tonumber(level)}
end

-- Releases one level of `member`: `left` levels stay (the client's count - 1). Returns the levels
-- left (-1: no such hold) and, at 0, whether the lock is still held by others.
local function release_one(L, leases, member, left)
  local n = count_down(L, member, left)
  if n ~= 0 then
    return n, true
  end
  return 0, drop(L, leases, {member}, true)
end

-- Wakes the waiters that can proceed now that a hold or an intent went. While a writer waits
-- (live intent) no new reader may enter, so: the lock free -> wake that writer only; still held
-- (by readers) -> nobody. No writer waiting -> wake everyone: each waiting reader gets in.
local function wake(intents, channel, now, held)
  local writer = first_intent(intents, now)
  if writer then
    if not held then
      publish(channel, '=' .. writer)
    end
  else
    publish(channel, '*')
  end
end

-- Batched renewal (see io.holdfast.spi.Renewable and renew-each.lua). Item i has ARGV[2] keys, the
-- last of which is the zset holding its member prefix .. ARGV[2 + i]; the member's deadline is set
-- to now + lease if it is still ahead (an expired member is never revived) and the item's keys kept
-- alive. Returns one flag per item: 1 renewed, 0 gone. A key of another type counts as gone.
local function renew_all(prefix)
  local now = clock()
  return renew_each(function(first, zset, holder, lease)
    local member = prefix .. holder
    local deadline = redis.call('ZSCORE', zset, member)
    if not deadline or tonumber(deadline) <= now then
      return false
    end
    redis.call('ZADD', zset, 'GT', int(now + lease), member)
    keep_alive(lease, first, first ~= zset and zset or nil)
    return true
  end)
end
