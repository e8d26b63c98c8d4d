-- Fragment (see Script, "Fragments"): the fencing token, one rule for every lock kind.
-- A token is max(server time in microseconds, the last token issued in the lock's slot + 1). The
-- last one is kept in the token key of the lock's Cluster slot (passed in KEYS, see
-- LockKeys#tokenKey): one key per slot that ever held a lock (at most 16,384 per key prefix), with
-- no expiry, so tokens grow strictly per lock name across the times the lock is free as well, and
-- no key is left behind per lock name. They can go backwards only if the server loses that key (a
-- restart without persistence, a failover to a replica that missed the write) while its clock
-- also stands behind the last token. Defines functions only.

-- The next token, as a decimal string (Lua would write a number this large with an exponent).
-- `time`: a TIME reply this script read already (optional; a script whose commands read the clock
-- anyway passes it, one command less), else the clock is read here. One command in the usual case:
-- the clock's value is written while the last token is read (SET ... GET), and written again, as
-- the last token + 1, only if the last token is not behind the clock (a clock set back, or two
-- tokens in one microsecond).
local function next_token(token_key, time)
  local t = time or redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local token = string.format('%d', now)
  local last = tonumber(redis.call('SET', token_key, token, 'GET'))
  if last and last >= now then
    token = string.format('%d', last + 1)
    redis.call('SET', token_key, token)
  end
  return token
end
