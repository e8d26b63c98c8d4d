-- Batched lease renewal for locks whose key is a hash of holder id -> hold count, for holds whose
-- lease on the server is never longer than ARGV[1] (the holder never asked for a longer one; see
-- Hold#renewScript): setting it to ARGV[1] again cannot shorten it, so no PTTL is needed.
-- Holds that may have a longer lease use renew-hash.lua. (PEXPIRE ... GT would do both in one
-- command, but needs Redis 7.0; Holdfast runs on 6.2.)
-- KEYS[i]      lock hash of item i (one key per item)
-- ARGV[1]      lease in milliseconds
-- ARGV[2]      keys per item (always 1 here)
-- ARGV[2 + i]  holder id of item i
-- Returns one integer per item: 1 = the hold is there and its lease is now ARGV[1] ms, 0 = gone
-- (or a key of another type: any item whose command fails counts as gone, as in renew-each.lua).
--
-- Not renew-each.lua's loop: this script is the watchdog's, once per up to 256 holds, so its loop
-- is written out, catches an item's error with redis.pcall (an error reply is a table, not 1)
-- rather than with a Lua pcall of a function per item, and passes the lease as ARGV[1]'s string:
-- given the number, Lua would format it into a string again on every call. Together about a
-- quarter less Redis time per renewed hold (bench/experiments/watchdog/renewal_cost.py,
-- bench/RESULTS-renewal.md). A PEXPIREAT of one deadline per call would save a little more, but
-- Redis 6.2 sends it to its replicas as that absolute time, where PEXPIRE goes as it is: a replica
-- whose clock runs ahead, once promoted, would end those leases early.
if ARGV[2] ~= '1' then
  return redis.error_reply('ERR renew-hash-plain.lua renews one key per item, not ' .. tostring(ARGV[2]))
end
local lease = ARGV[1]
local out = {}
for i = 1, #ARGV - 2 do
  if redis.pcall('HEXISTS', KEYS[i], ARGV[2 + i]) == 1 and redis.pcall('PEXPIRE', KEYS[i], lease) == 1 then
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
