-- Fragment: publish.lua for a Redis Cluster of Redis 7+ (see Script#withShardedPubSub). SPUBLISH
-- delivers to the subscribers (SSUBSCRIBE) of the channel's slot on this shard only: nothing
-- crosses the cluster bus to the other shards. The channel carries the lock's hash tag, so it is
-- in the slot of the script's keys. A node without sharded pub/sub (still Redis 6.2 in a rolling
-- upgrade; it has no redis.REDIS_VERSION_NUM) publishes classically instead of failing the script
-- after its writes: the client, subscribed with SSUBSCRIBE, misses that wake-up, and its waiters
-- retry after their bounded wait.
local function publish(channel, message)
  if redis.REDIS_VERSION_NUM then
    return redis.call('SPUBLISH', channel, message)
  end
  return redis.call('PUBLISH', channel, message)
end
