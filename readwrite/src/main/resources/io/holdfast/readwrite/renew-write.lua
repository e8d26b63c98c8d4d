-- Read-write lock: batched renewal of write holds (see io.holdfast.spi.Renewable; helpers: lib.lua).
-- KEYS[2i-1]   lock hash of item i
-- KEYS[2i]     leases zset of item i
-- ARGV[1]      lease in milliseconds
-- ARGV[2]      keys per item (2)
-- ARGV[2 + i]  holder id of item i
-- Returns one integer per item: 1 = the hold is alive and its deadline is now + lease, 0 = gone
-- (its deadline had passed, or the lock was deleted).
--@include lib.lua
return renew_all('w:')
