-- Fragment (see Script, "Fragments"): one acquisition attempt on a queued lock (fair or barging, see
-- QueuedHashKind), as acquire.lua describes it, on the keys and arguments given. Shared by
-- acquire.lua (one lock) and acquire-all.lua (several locks of one slot). Defines functions only.
--@include /io/holdfast/spi/hash-hold.lua
--@include queue.lua

-- lock, q (see lock_keys), channel, token_key: the lock's keys; holder, lease, mode, patience, fifth,
-- policy: ARGV[1..6] of acquire.lua (patience a number). Returns what acquire.lua returns.
local function attempt(lock, q, channel, token_key, holder, lease, mode, patience, fifth, policy)
  local pttl = redis.call('PTTL', lock)
  local look_again_now = false
  if pttl == -2 and policy == 'barge' then
    if mode == 'wait' then
      leave(q, holder) -- queued: it leaves, the others keep their order
    end
    return grant(lock, holder, lease, token_key)
  elseif pttl == -2 then
    -- free: mine if no live waiter is before me; else the first live one gets it now
    local turn = hand_over(lock, q, channel, token_key, holder)
    if turn == 'me' or turn == 'empty' then
      return grant(lock, holder, lease, token_key)
    end
    -- 'given': someone else holds it now (a hold this script wrote: nothing to check); 'more': 100
    -- dead waiters dropped, look again at once
    look_again_now = turn == 'more'
    pttl = redis.call('PTTL', lock)
  else
    -- held: a lock hash of this kind has one field, a holder id ("<client>:<thread>" or
    -- "<client>:o<owner>"), whose value is a hold count; or '<holder id>:expiring' (a hold ended by
    -- unlock-after.lua, kept until its lease runs out); the read-write lock of the same name (a
    -- 'mode' field) is another kind's hold: busy as well. Anything else is somebody else's data: an
    -- error, never a wait that cannot end. One command in the usual case: up to two fields with
    -- their values, which tells one field from several.
    local some = redis.call('HRANDFIELD', lock, '2', 'WITHVALUES')
    local field, count = some[1], some[2]
    local several = #some > 2
    if field == holder or (several and redis.call('HEXISTS', lock, holder) == 1) then
      -- handed over to this holder (its message is on the way or was lost), granted by an earlier
      -- run of this very command (re-sent after a reconnect), or left over from its lost hold:
      -- start again at one level
      leave(q, holder)
      return grant(lock, holder, lease, token_key)
    end
    local ours
    if several then
      ours = field == 'mode' or some[3] == 'mode' or redis.call('HEXISTS', lock, 'mode') == 1
    else
      ours = field == 'mode' or (string.match(count, '^%d+$')
          and (string.match(field, '^.+:o?%-?%d+$') or string.match(field, '^.+:o?%-?%d+:expiring$')))
    end
    if not ours then
      return redis.error_reply('WRONGTYPE the lock key holds a hash that is not a Holdfast lock (field '
          .. (several and ('(' .. redis.call('HLEN', lock) .. ' fields)') or field) .. '); nothing was changed')
    end
  end

  local placement = 0
  if mode == 'join' or mode == 'wait' then
    placement = join(q, holder, fifth, patience)
  end
  if look_again_now then
    pttl = 0
  elseif pttl < 0 or pttl > patience then
    pttl = patience
  end
  return {0, pttl, 0, placement}
end
