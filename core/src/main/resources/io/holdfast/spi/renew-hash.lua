-- Batched lease renewal for locks whose key is a hash of holder id -> hold count, for holds that
-- may have a longer lease than ARGV[1] on the server (a nested re-entry asked for one): the lease
-- is never shortened. Holds that never had a longer lease use the cheaper renew-hash-plain.lua.
-- KEYS[i]      lock hash of item i (one key per item)
-- ARGV[1]      lease in milliseconds
-- ARGV[2]      keys per item (always 1 here)
-- ARGV[2 + i]  holder id of item i
-- Returns one integer per item: 1 = the hold is there and its lease is now at least ARGV[1] ms
-- (never shortened: a nested hold may have set a longer one), 0 = gone (or a key of another type).
--@include renew-each.lua
-- (PEXPIRE with ARGV[1]'s string, not the number: Lua would format the number on every call.)
return renew_each(function(lock, _, holder, lease)
  if redis.call('HEXISTS', lock, holder) == 0 then
    return false
  end
  if redis.call('PTTL', lock) < lease then
    redis.call('PEXPIRE', lock, ARGV[1])
  end
  return true
end)
