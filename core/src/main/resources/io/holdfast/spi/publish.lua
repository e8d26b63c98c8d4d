-- Fragment (see Script, "Fragments"): publish(channel, message) sends a lock's wake-up and returns
-- how many subscribers of this node received it. This text is classic pub/sub (PUBLISH): a
-- standalone server, a Sentinel-managed master, or a Cluster whose servers lack sharded pub/sub
-- (Redis < 7). On a Cluster of Redis 7+ the client runs every script with publish-sharded.lua in
-- this file's place (see Script#withShardedPubSub), so wake-ups stay on the lock's shard.
local function publish(channel, message)
  return redis.call('PUBLISH', channel, message)
end
