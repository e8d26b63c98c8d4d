-- Fragment (see Script, "Fragments"): the loop of every batched renewal script (see Renewable).
-- KEYS holds ARGV[2] keys per item, one item after another; ARGV[1] is the lease in ms and
-- ARGV[2 + i] the argument of item i. renew(first key, last key, argument, lease, keys) renews one
-- item (keys: all of its keys, in order, for an item of more than two) and says whether it is still
-- there; a key of another type counts as gone (the error is caught),
-- so one bad key cannot fail the whole batch. Returns one integer per item: 1 renewed, 0 gone.
local function renew_each(renew)
  local lease, per = tonumber(ARGV[1]), tonumber(ARGV[2])
  local out = {}
  for i = 1, #ARGV - 2 do
    local base = (i - 1) * per
    local ok, there = pcall(renew, KEYS[base + 1], KEYS[base + per], ARGV[2 + i], lease, {unpack(KEYS, base + 1, base + per)})
    out[i] = (ok and there) and 1 or 0
  end
  return out
end
