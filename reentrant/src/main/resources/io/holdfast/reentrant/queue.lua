-- Fragment (see Script, "Fragments"): the queued locks' queue of waiters and its hand-over. Defines
-- functions only.
--
-- queue         LIST of waiting holder ids, first come first served; the head is next in line
-- waiter keys   STRING prefix .. holder id, one per waiter, value = "<lease>:<acquisition>.<placement>":
--               the lease (ms) to hand the lock over with (never longer than the waiter timeout),
--               which of the holder's acquisitions waits, and its placement: a number the server
--               picks (its time in us) each time the waiter key is created, so that a hand-over
--               names the very placement it granted, never an earlier or later one of the same
--               acquisition; PX = the waiter timeout, renewed by the waiter's watchdog while it
--               waits. A queued holder id whose waiter key is gone is dead (or left, or was
--               granted) and is skipped when it comes to the head.
-- The queue LIST lives 3 waiter timeouts after it was created or a waiter's renewal last found it
-- short of that, so a queue whose every waiter died disappears by itself. An entry can outlive
-- its waiter key; the other way round only if every other waiter died long ago: a waiter whose
-- key is there but whose entry is not joins again on its next attempt or renewal.
--@include /io/holdfast/spi/fencing-token.lua

-- The caller waits: refreshes its waiter key if it holds a placement of this acquisition
-- (`waiting` = "<lease>:<acquisition>"), else creates one with a new placement; and, unless it is
-- queued already, appends it to the queue. Returns the waiter key's value: the placement it waits
-- with now (the client trusts a hand-over only if it names this placement).
local function join(queue, prefix, holder, waiting, patience)
  local key = prefix .. holder
  local current = redis.call('GET', key)
  local mine = current and string.sub(current, 1, #waiting + 1) == waiting .. '.'
  if mine then
    redis.call('PEXPIRE', key, patience)
  else
    local t = redis.call('TIME')
    current = waiting .. '.' .. t[1] .. string.format('%06d', tonumber(t[2]))
    redis.call('SET', key, current, 'PX', patience)
  end
  if not mine or redis.call('LPOS', queue, holder) == false then
    if redis.call('LPOS', queue, holder) == false and redis.call('RPUSH', queue, holder) == 1 then
      redis.call('PEXPIRE', queue, 3 * patience)
    end
  end
  return current
end

-- Takes holder out of the queue, wherever (and however often) it is there.
local function leave(queue, prefix, holder)
  redis.call('DEL', prefix .. holder)
  redis.call('LREM', queue, 0, holder)
end

-- The lock is free: gives it to the first live waiter. Dead heads (no waiter key) are dropped, at
-- most 100 per call so a script stays short. The live head is granted the lock here (count 1, the
-- lease its waiter key names) and told so with "!<token>|<acquisition>.<placement>|<holder>". If
-- `me` comes to the head, nobody is told: the caller grants itself. Returns 'me', 'empty' (no live
-- waiter left), 'given' (someone else got it) or 'more' (100 dead dropped, more may follow: one
-- waiter per client is woken, "1", whose attempt goes on dropping them), and the message published
-- for 'given' and 'more'.
local function hand_over(lock, queue, prefix, channel, token_key, me)
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
    local lease, placement
    if waiting then
      lease, placement = string.match(waiting, '^(%d+):(.*)$')
    end
    if lease and tonumber(lease) > 0 then
      redis.call('HSET', lock, head, 1)
      redis.call('PEXPIRE', lock, lease)
      local message = '!' .. next_token(token_key) .. '|' .. placement .. '|' .. head
      redis.call('PUBLISH', channel, message)
      return 'given', message
    end
  end
  redis.call('PUBLISH', channel, '1')
  return 'more', '1'
end
