-- Read-write lock: release one level of the write hold (state layout and helpers: lib.lua).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel      KEYS[5]  turn
-- ARGV[1]  holder id
-- ARGV[2]  the levels the holder keeps (the client's count - 1): set, not counted down, so a
--          release that runs twice (re-sent) releases one level
-- Returns the levels left: 0 = the write hold is gone; the lock is free, or in read mode if the
-- holder kept read holds (a downgrade). Then: if readers and a writer wait, the readers' turn
-- opens (see open_turn) and every waiter is woken, so the readers that were waiting get in ahead
-- of the writer and it gets in after them; otherwise only who can proceed is woken (see wake). -1 = the holder has no write hold here (lease expired or force-unlocked),
-- nothing was changed.
--@include lib.lua
local L, leases, intents, channel, turn = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now = clock()
purge(L, leases, now)
local left, held = release_one(L, leases, 'w:' .. ARGV[1], ARGV[2])
if left == 0 then
  if open_turn(intents, turn, now) then
    publish(channel, '*')
  else
    wake(intents, channel, now, held)
  end
end
return left
