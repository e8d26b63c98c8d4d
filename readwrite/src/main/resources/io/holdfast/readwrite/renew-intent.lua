-- Read-write lock: batched renewal of waiting writers' intents (see io.holdfast.spi.Renewable;
-- helpers: lib.lua).
-- KEYS[i]      writer intents zset of item i
-- ARGV[1]      intent lease in milliseconds
-- ARGV[2]      keys per item (1)
-- ARGV[2 + i]  holder id of the waiting writer of item i
-- Returns one integer per item: 1 = the intent is alive and its deadline is now + lease, 0 = gone
-- (it expired, or the writer acquired or gave up).
--@include lib.lua
return renew_all('')
