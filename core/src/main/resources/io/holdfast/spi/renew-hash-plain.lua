-- Batched lease renewal for locks whose key is a hash of holder id -> hold count, for holds whose
-- lease on the server is never longer than ARGV[1] (the holder never asked for a longer one; see
-- Hold#renewScript): setting it to ARGV[1] again cannot shorten it, so no PTTL is needed.
-- Holds that may have a longer lease use renew-hash.lua. (PEXPIRE ... GT would do both in one
-- command, but needs Redis 7.0; Holdfast runs on 6.2.)
-- KEYS[i]      lock hash of item i (one key per item)
-- ARGV[1]      lease in milliseconds
-- ARGV[2]      keys per item (always 1 here)
-- ARGV[2 + i]  holder id of item i
-- Returns one integer per item: 1 = the hold is there and its lease is now ARGV[1] ms (all items
-- expire at the same instant, ARGV[1] ms after the server's time when the call began), 0 = gone
-- (or a key of another type: any item whose command fails counts as gone, as in renew-each.lua).
--
-- Not renew-each.lua's loop: this script is the watchdog's, once per up to 256 holds, so its loop
-- is written out and catches an item's error with redis.pcall (an error reply is a table, not 1)
-- rather than with a Lua pcall of a function per item (about 15 % of an item's time).
--
-- One deadline for every item: the server's time now + ARGV[1] ms, as a PEXPIREAT argument (ms
-- since the epoch, a string). Redis turns a PEXPIRE into that absolute time once per item, and Lua
-- would format a number argument once per item too: with one TIME per call instead, an item costs
-- Redis about a quarter less, and with the loop above about 40 % less in all
-- (bench/experiments/watchdog/renewal_cost.py, bench/RESULTS-renewal.md). An item renewed later in
-- the call (Redis 6.2's clock runs on while a script does) gets a lease shorter by that much, never
-- longer: still from a moment after the client sent the call, which its belief counts from.
local t = redis.call('TIME')
local deadline = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1]))
local out = {}
for i = 1, #ARGV - 2 do
  if redis.pcall('HEXISTS', KEYS[i], ARGV[2 + i]) == 1 and redis.pcall('PEXPIREAT', KEYS[i], deadline) == 1 then
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
