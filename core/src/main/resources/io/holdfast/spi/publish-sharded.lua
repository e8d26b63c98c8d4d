-- Fragment: publish.lua for a Redis Cluster of Redis 7+ (see Script#withShardedPubSub). SPUBLISH
-- delivers to the subscribers (SSUBSCRIBE) of the channel's slot on this shard only: nothing
-- crosses the cluster bus to the other shards. The channel carries the lock's hash tag, so it is
-- in the slot of the script's keys.
local function publish(channel, message)
  return redis.call('SPUBLISH', channel, message)
end
