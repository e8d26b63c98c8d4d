-- Fragment (see Script, "Fragments"): the hold count, one rule for every lock kind. A hold is a
-- field of the lock's hash, named after its holder (the exclusive kinds) or its role and holder
-- (the read-write lock's 'r:<id>' / 'w:<id>'), whose value is the number of levels held. How long a
-- hold lives is the kind's own business (the hash's TTL for a lock with one holder, a deadline per
-- hold for one with many); how it is counted is written here only. Defines functions only.
--
-- Delivery: a script may run twice (Lettuce re-sends a command whose reply it did not read when it
-- reconnects), so a level change never counts from what the server has: it carries the count the
-- client's holder has after it and sets that (see the README's "Delivery"). Run twice, it sets the
-- same count twice; and it never writes a field that is gone (a lost hold stays lost).

-- Sets the count of `field` (present) to `level`; false, changing nothing, if the hold is gone.
local function set_count(hash, field, level)
  if redis.call('HEXISTS', hash, field) == 0 then
    return false
  end
  redis.call('HSET', hash, field, level)
  return true
end

-- One level less: `left` levels stay (the client's count - 1, a string as it came in ARGV); at '0'
-- (the client's last level) the field goes, whatever the server counted. Returns `left` as a
-- number, or -1 if the hold is gone (nothing changed).
local function count_down(hash, field, left)
  if left == '0' then
    return redis.call('HDEL', hash, field) == 0 and -1 or 0
  end
  return set_count(hash, field, left) and tonumber(left) or -1
end
