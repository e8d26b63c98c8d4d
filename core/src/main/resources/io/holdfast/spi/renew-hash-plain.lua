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
-- (or a key of another type).
--@include renew-each.lua
return renew_each(function(lock, _, holder, lease)
  if redis.call('HEXISTS', lock, holder) == 0 then
    return false
  end
  redis.call('PEXPIRE', lock, lease)
  return true
end)
