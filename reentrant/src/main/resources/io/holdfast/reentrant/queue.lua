-- Fragment (see Script, "Fragments"): the queued locks' queue of waiters and its hand-over. Defines
-- functions only. Every key is passed in KEYS (same hash tag as the lock); no key name is built here.
--
-- queue       ZSET holder id -> arrival number: first come first served, the lowest number is next
--             in line; a holder joins at the tail (the highest number + 1), so the numbers start
--             again at 1 when the queue was empty
-- waiters     HASH holder id -> "<deadline>|<lease>:<acquisition>.<placement>": until when (server
--             time, ms) the waiter is alive: its last attempt or renewal + the waiter timeout; the
--             lease (ms) to hand the lock over with (never longer than the waiter timeout), which of
--             the holder's acquisitions waits, and its placement: a number the server picks (its time
--             in us) each time the waiter's entry is created, so that a hand-over names the very
--             placement it granted, never an earlier or later one of the same acquisition. The part
--             after "|" is the waiter's identity, which the client waits with and renews by.
--             A waiter whose deadline is not ahead of the server's time is dead (it is never revived:
--             its next attempt creates a new placement), and so is a queued holder id without an
--             entry in waiters (it left, or was granted); dead ones are skipped when they come to the
--             head.
-- Every operation on one waiter costs O(log n) (n queued): ZSCORE, ZADD, ZREM, ZPOPMIN, HGET, HSET,
-- HDEL, and ZREVRANGE 0 0 for the tail; nothing walks the queue.
-- The two keys live at least 2 waiter timeouts after a waiter's attempt or renewal (one that finds
-- less left sets 3), so they outlive every live waiter's deadline by a waiter timeout and a queue
-- whose every waiter died disappears by itself; emptied, they vanish at once. A holder's queue entry
-- and its waiter entry come and go together; a waiter whose entry is there but whose queue entry is
-- not (the queue key was deleted) joins again on its next attempt or renewal.
-- The two keys share one TTL: every script that sets it sets it on both at once (keep_alive), and
-- the queue holds the same holders as waiters or fewer; so the waiters key's TTL stands for both, and
-- keep_alive reads only that one. The one exception, a queue key created again while waiters lives
-- (it was deleted by hand), is seen by enqueue (an empty tail) and gets its TTL there. A waiters key
-- deleted on its own (by hand, or evicted under a maxmemory policy other than noeviction, which
-- Holdfast warns of at connect since it may evict the lock itself) forgets its waiters: each queues
-- again (at the tail) on its next attempt or renewal, and its queue entry is skipped at the head
-- meanwhile.
--@include /io/holdfast/spi/fencing-token.lua
--@include /io/holdfast/spi/publish.lua

-- Server time in ms, and the TIME reply it was read from.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), t
end

-- Makes the queue's two keys live at least 2 waiter timeouts (`patience` ms): if the waiters key
-- (whose TTL stands for both, see above) has less, or no expiry, both get 3, so this writes at most
-- once per waiter timeout; one PTTL in the usual case. `queue_created`: enqueue created the queue
-- key just now (see enqueue), which then gets the TTL the waiters key has.
local function keep_alive(q, patience, queue_created)
  local left = redis.call('PTTL', q.waiters)
  if left < 2 * patience then
    redis.call('PEXPIRE', q.queue, 3 * patience)
    redis.call('PEXPIRE', q.waiters, 3 * patience)
  elseif queue_created then
    redis.call('PEXPIRE', q.queue, left) -- the waiters key's TTL, which may be longer than 3 of ours
  end
end

-- Queues holder at the tail unless it is queued already (then it keeps its place). `new`: the
-- holder is most likely not queued (a new placement), so the ZSCORE that would find it is skipped
-- (ZADD NX keeps a place it has all the same). Returns true if this created the queue key (the
-- queue was empty), false otherwise.
local function enqueue(queue, holder, new)
  if not new and redis.call('ZSCORE', queue, holder) then
    return false
  end
  local tail = redis.call('ZREVRANGE', queue, '0', '0', 'WITHSCORES')
  local n = (tonumber(tail[2]) or 0) + 1
  redis.call('ZADD', queue, 'NX', string.format('%d', n), holder)
  return tail[1] == nil
end

-- Holder's waiter entry: its identity ("<lease>:<acquisition>.<placement>") if the entry is there
-- and alive at server time `now`, else nil. One HGET.
local function live_entry(waiters, holder, now)
  local value = redis.call('HGET', waiters, holder)
  if not value then
    return nil
  end
  local deadline, identity = string.match(value, '^(%d+)|(.*)$')
  if identity and tonumber(deadline) > now then
    return identity
  end
  return nil
end

-- Writes holder's waiter entry: `identity`, alive until server time `deadline`.
local function write_entry(waiters, holder, identity, deadline)
  redis.call('HSET', waiters, holder, string.format('%d', deadline) .. '|' .. identity)
end

-- Keeps holder's place: writes its waiter entry (`identity`, alive until `deadline`), queues it at
-- the tail unless it is queued already (`new`: see enqueue), and keeps the queue's keys alive.
-- `kept` (optional): a table of the waiters keys this script kept alive already, with this
-- `patience`; their TTL is not read again, unless enqueue created the queue key, which then needs
-- its TTL. That holds for the whole call if its deadlines are all the same `now` (read once, at
-- its start) + `patience`: the keys' expiry is an instant at least 2 `patience` after the moment
-- their TTL was read, which is not before `now`, so they outlive every such deadline by a waiter
-- timeout (on Redis 6.2 too, whose clock runs on while a script does). A batched renewal of a
-- client's places passes one, so that its waiters of one lock read the TTL once per call, not once
-- each.
local function keep_place(q, holder, identity, deadline, patience, new, kept)
  write_entry(q.waiters, holder, identity, deadline)
  local created = enqueue(q.queue, holder, new)
  if created or not (kept and kept[q.waiters]) then
    keep_alive(q, patience, created)
    if kept then
      kept[q.waiters] = true
    end
  end
end

-- The caller waits: refreshes its waiter entry if it holds a live placement of this acquisition
-- (`waiting` = "<lease>:<acquisition>"), else creates one with a new placement; and, unless it is
-- queued already, appends it to the queue. Returns the waiter's value: the placement it waits with
-- now (the client trusts a hand-over only if it names this placement).
local function join(q, holder, waiting, patience)
  local now, t = now_ms()
  local current = live_entry(q.waiters, holder, now)
  local mine = current and string.sub(current, 1, #waiting + 1) == waiting .. '.'
  if not mine then
    current = waiting .. '.' .. t[1] .. string.format('%06d', tonumber(t[2]))
  end
  keep_place(q, holder, current, now + patience, patience, not mine)
  return current
end

-- Forgets holder's waiter entry.
local function forget(q, holder)
  redis.call('HDEL', q.waiters, holder)
end

-- Takes holder out of the queue and forgets its waiter entry; the others keep their order.
local function leave(q, holder)
  redis.call('ZREM', q.queue, holder)
  forget(q, holder)
end

-- The client part of a holder id ("<client>:<thread>" or "<client>:o<owner>"), or nil.
local function client_of(holder)
  return holder and string.match(holder, '^(.+):o?%-?%d+$')
end

-- The lock is free: gives it to the first live waiter. Dead heads are dropped, at most 100 per call
-- so a script stays short. The live head is granted the lock here (count 1, the lease its waiter
-- entry names) and told so with "!<token>|<acquisition>.<placement>|<holder>". If `me` comes to the
-- head, nobody is told: the caller grants itself. `teller` (optional): the holder id of a caller
-- whose client reads the message from the script's reply and tells its own waiters at once (see
-- AcquisitionEngine#applied); a head of that same client is told that way only, without a PUBLISH
-- every other client would read for nothing. Returns 'me', 'empty' (no live waiter left), 'given'
-- (someone else got it) or 'more' (100 dead dropped, more may follow: one waiter per client is
-- woken, "1", whose attempt goes on dropping them), and the message for 'given' and 'more'.
local function hand_over(lock, q, channel, token_key, me, teller)
  local now, time
  for _ = 1, 100 do
    local head = redis.call('ZPOPMIN', q.queue)[1]
    if not head then
      return 'empty'
    end
    if head == me then
      forget(q, me)
      return 'me'
    end
    if not now then
      now, time = now_ms()
    end
    local waiting = live_entry(q.waiters, head, now)
    forget(q, head)
    local lease, placement
    if waiting then
      lease, placement = string.match(waiting, '^(%d+):(.*)$')
    end
    if lease and tonumber(lease) > 0 then
      redis.call('HSET', lock, head, '1')
      redis.call('PEXPIRE', lock, lease)
      local message = '!' .. next_token(token_key, time) .. '|' .. placement .. '|' .. head
      local told = client_of(teller)
      if not told or client_of(head) ~= told then
        publish(channel, message)
      end
      return 'given', message
    end
  end
  publish(channel, '1')
  return 'more', '1'
end

-- The keys of lock i (default 1) as the queued scripts (but the renewal) receive them, 5 per lock
-- and lock after lock (QueuedHashKind.KEYS_PER_LOCK): lock hash, queue ZSET, waiters HASH, wake-up
-- channel, token key of the lock's slot. Returns the lock hash, the queue's keys (queue, waiters),
-- the channel and the token key.
local function lock_keys(i)
  local at = ((i or 1) - 1) * 5
  return KEYS[at + 1], {queue = KEYS[at + 2], waiters = KEYS[at + 3]}, KEYS[at + 4], KEYS[at + 5]
end

-- Drops holder's hold on lock, if it has one; if the lock is free afterwards, hands it over to the
-- first live waiter (see hand_over; `teller`: as there). Returns 1 if a hold was dropped else 0,
-- and the hand-over's message ("" if nothing).
local function drop_hold(lock, q, channel, token_key, holder, teller)
  local dropped = redis.call('HDEL', lock, holder)
  local message
  if redis.call('EXISTS', lock) == 0 then
    local _
    _, message = hand_over(lock, q, channel, token_key, nil, teller)
  end
  return dropped, message or ''
end
