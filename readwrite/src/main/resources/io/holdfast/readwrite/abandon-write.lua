-- Read-write lock: a writer gives up: drop its intent and, if the server granted it the write
-- lock meanwhile, its write hold (never its read holds).
-- KEYS[1]  lock hash      KEYS[2]  leases zset      KEYS[3]  writer intents zset
-- KEYS[4]  wake-up channel
-- ARGV[1]  holder id
-- Returns 1 if an intent or a write hold was dropped, else 0. Waiters that can proceed because of
-- it are woken: readers that queued behind this writer, or the next waiting writer.
--@include lib.lua
local L, leases, intents, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local holder = ARGV[1]
local now = clock()
local had_intent = redis.call('ZREM', intents, holder) == 1
if redis.call('HEXISTS', L, 'w:' .. holder) == 1 then
  wake(intents, channel, now, drop(L, leases, {'w:' .. holder}))
  return 1
end
if not had_intent then
  return 0
end
local mode = redis.call('HGET', L, 'mode')
if mode ~= 'write' then
  wake(intents, channel, now, mode == 'read')
end
return 1
