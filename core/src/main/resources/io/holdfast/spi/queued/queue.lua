-- Fragment (see Script, "Fragments"): the queued locks' queue of waiters and its hand-over. Defines
-- functions only.
--
-- queue         LIST of waiting holder ids, first come first served; the head is next in line
-- waiter keys   STRING prefix .. holder id, one per waiter, value = "<lease>:<acquisition id>": the
--               lease (ms) to hand the lock over with (never longer than the waiter timeout) and
--               which of the holder's acquisitions waits (named in the hand-over message, so a late
--               message is not taken for a later acquisition); PX = the waiter timeout,
--               renewed by the waiter's watchdog while it waits. A queued holder id whose waiter
--               key is gone is dead (or left) and is skipped when it comes to the head.
-- The queue LIST lives 3 waiter timeouts after it was created or a waiter's renewal last found it
-- short of that, so a queue whose every waiter died disappears by itself. An entry can outlive
-- its waiter key; the other way round only if every other waiter died long ago: a waiter whose
-- key is there but whose entry is not joins again on its next attempt or renewal.

-- Server time in microseconds, as a decimal string: the fencing token of a hand-over (a Lua number
-- of this size would be written with an exponent).
local function token()
  local t = redis.call('TIME')
  return t[1] .. string.format('%06d', tonumber(t[2]))
end

-- The caller waits: sets its waiter key (`waiting`, PX patience) and, unless it was
-- queued already, appends it to the queue. A waiter whose key was there but whose entry is gone
-- (the queue LIST expired) is appended again.
local function join(queue, prefix, holder, waiting, patience)
  local before = redis.call('SET', prefix .. holder, waiting, 'PX', patience, 'GET')
  if not before or redis.call('LPOS', queue, holder) == false then
    if redis.call('RPUSH', queue, holder) == 1 then
      redis.call('PEXPIRE', queue, 3 * patience)
    end
  end
end

-- Takes holder out of the queue, wherever (and however often) it is there.
local function leave(queue, prefix, holder)
  redis.call('DEL', prefix .. holder)
  redis.call('LREM', queue, 0, holder)
end

-- The lock is free: gives it to the first live waiter. Dead heads (no waiter key) are dropped, at
-- most 100 per call so a script stays short. The live head is granted the lock here (count 1, the
-- lease its waiter key names) and told so with "!<token>|<acquisition>|<holder>". If `me` comes to
-- the head, nobody is told: the caller grants itself. Returns 'me', 'empty' (no live waiter left),
-- 'given' (someone else got it; then also the message published) or 'more' (100 dead dropped,
-- more may follow).
local function hand_over(lock, queue, prefix, channel, me)
  for _ = 1, 100 do
    local head = redis.call('LPOP', queue)
    if not head then
      return 'empty'
    end
    if head == me then
      redis.call('DEL', prefix .. me)
      return 'me'
    end
    local waiting = redis.call('GETDEL', prefix .. head)
    local lease, acquisition
    if waiting then
      lease, acquisition = string.match(waiting, '^(%d+):(.*)$')
    end
    if lease and tonumber(lease) > 0 then
      redis.call('HSET', lock, head, 1)
      redis.call('PEXPIRE', lock, lease)
      local message = '!' .. token() .. '|' .. acquisition .. '|' .. head
      redis.call('PUBLISH', channel, message)
      return 'given', message
    end
  end
  return 'more'
end
