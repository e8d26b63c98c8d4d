-- Queued lock (fair or barging, see QueuedHashKind): an acquisition nobody will use (timed out, cancelled, or its reply was lost): leave
-- the queue and drop the holder's hold if the server granted (or handed over) one meanwhile.
-- KEYS[1]  lock hash
-- KEYS[2]  queue ZSET, KEYS[3] waiters HASH (see queue.lua)
-- KEYS[4]  wake-up channel
-- KEYS[5]  token key of the lock's slot (see fencing-token.lua)
-- ARGV[1]  holder id
-- Returns {1 if a hold was dropped else 0, message}. If the lock is free afterwards, it is handed
-- over to the first live waiter (message: what was published, "" if nothing); the order of the
-- others is unchanged. Costs O(log n) for n queued (ZREM, HDEL), never a walk of the queue. Run twice,
-- the second run finds nothing to drop.
--@include queue.lua
local lock, q, channel, token_key = lock_keys()
local holder = ARGV[1]
leave(q, holder)
local dropped, message = drop_hold(lock, q, channel, token_key, holder)
return {dropped, message}
