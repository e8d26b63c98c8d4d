-- Fragment (see Script, "Fragments"): the loop of the batched renewal scripts (see Renewable), but
-- renew-hash-plain.lua's, which is written out.
-- KEYS holds ARGV[2] keys per item, one item after another; ARGV[1] is the lease in ms and
-- ARGV[2 + i] the argument of item i. renew(first key, last key, argument, lease, base) renews one
-- item (its keys are KEYS[base + 1] .. KEYS[base + ARGV[2]], for an item of more than two; no table
-- is built per item) and says whether it is still there; a key of another type counts as gone (the error is caught),
-- so one bad key cannot fail the whole batch. Returns one integer per item: 1 renewed, 0 gone.
local function renew_each(renew)
  local lease, per = tonumber(ARGV[1]), tonumber(ARGV[2])
  local out = {}
  for i = 1, #ARGV - 2 do
    local base = (i - 1) * per
    local ok, there = pcall(renew, KEYS[base + 1], KEYS[base + per], ARGV[2 + i], lease, base)
    out[i] = (ok and there) and 1 or 0
  end
  return out
end
