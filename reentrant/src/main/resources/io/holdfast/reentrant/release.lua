-- Queued lock (fair or barging, see QueuedHashKind): release one level.
-- KEYS[1]  lock hash
-- KEYS[2]  queue ZSET, KEYS[3] waiters HASH (see queue.lua)
-- KEYS[4]  wake-up channel
-- KEYS[5]  token key of the lock's slot (see fencing-token.lua)
-- ARGV[1]  holder id
-- ARGV[2]  the levels the holder keeps (the client's count - 1); "0": its last level, the whole
--          hold goes (the client sends count-down.lua for a level that is not the last: it
--          needs none of the queue's keys)
-- Returns {levels left, message}: 0 = the lock was freed and handed over to the first live
-- waiter (or that waiter woken), nobody else; -1 = the holder has no hold here (lease expired,
-- force-unlocked, or a first run of this same command already released the last level), nothing
-- was changed. The message is the hand-over's ("" if nothing), which the releasing client acts on
-- for its own waiters at once: it is published only if it names another client's waiter (see
-- hand_over's teller). Run twice, it does what one run would (see hold-count.lua).
--@include /io/holdfast/spi/hash-hold.lua
--@include queue.lua
local lock, q, channel, token_key = lock_keys()
local left = count_down(lock, ARGV[1], ARGV[2])
local message
if left == 0 then
  local _
  _, message = hand_over(lock, q, channel, token_key, nil, ARGV[1])
end
return {left, message or ''}
