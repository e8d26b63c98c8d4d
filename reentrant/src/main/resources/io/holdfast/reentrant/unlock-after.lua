-- Queued lock (fair or barging, see QueuedHashKind): end the holder's hold without freeing the
-- lock: the lock stays taken for ARGV[2] more ms, by a field nobody holds, then its key expires
-- (RLock#unlockAfter; the "at least" hold of scheduled jobs). The holder's field becomes
-- '<holder id>:expiring', so neither another holder nor the same one (a re-entry would match its own
-- field) can take the lock before then; the queue stays as it is, and nobody is told (waiters look
-- again within their bounded wait).
-- KEYS[1]  lock hash
-- ARGV[1]  holder id
-- ARGV[2]  how long the lock stays taken, in ms (> 0); the lease becomes exactly that, shorter or
--          longer than the one it had
-- Returns {1, ''}: done, or already done by a first run of this same command (re-sent after a
-- reconnect: the lease is then left as the first run set it); {0, ''}: the holder has no hold here
-- (lease expired or force-unlocked), nothing was changed. A key of another type is a WRONGTYPE error.
local expiring = ARGV[1] .. ':expiring'
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return {redis.call('HEXISTS', KEYS[1], expiring), ''}
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], expiring, '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, ''}
