-- Queued lock (fair or barging, see QueuedHashKind): release one level that is not the holder's
-- last (release.lua's with ARGV[2] > 0 before), on the lock's own key and nothing else: the lock
-- stays held, so nothing is handed over (see QueuedHashKind, "Re-entry").
-- KEYS[1]  lock hash
-- ARGV[1]  holder id
-- ARGV[2]  the levels the holder keeps (the client's count - 1), at least 1; "0" is refused (an
--          error, nothing changed): the last level is release.lua's, which hands the lock over
-- Returns {levels left, ""}: -1 = the holder has no hold here (lease expired or force-unlocked),
-- nothing was changed; as release.lua returns it. Run twice, it sets the same count twice (see
-- hold-count.lua).
--@include /io/holdfast/spi/hold-count.lua
if not string.match(ARGV[2], '^[1-9]%d*$') then
  return redis.error_reply('ERR count-down.lua keeps at least one level, got "' .. ARGV[2] .. '"')
end
return {count_down(KEYS[1], ARGV[1], ARGV[2]), ''}
