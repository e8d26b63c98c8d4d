package io.holdfast.bench;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.util.List;

/**
 * The critical section of the Cluster scenarios: {@link Counter}'s non-atomic {@code GET}, then
 * {@code SET} of the value + 1, on a cluster connection of its own, with one counter per lock in the
 * slot of the lock's key ({@link #keyFor}), so the section runs on the lock's master as an
 * application's data would. Without mutual exclusion it loses updates.
 */
final class ClusterCounter implements AutoCloseable {

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;

    ClusterCounter(List<RedisURI> seeds) {
        this.client = RedisClusterClient.create(seeds);
        this.connection = client.connect();
    }

    /**
     * The counter of the lock whose key is {@code lockKey}, in that key's slot: {@code bench:counter:{TAG}}
     * with the key's own hash tag ({@code holdfast:{NAME}} → {@code NAME}), or the whole key if it has none.
     */
    static String keyFor(String lockKey) {
        int open = lockKey.indexOf('{');
        int close = open < 0 ? -1 : lockKey.indexOf('}', open + 1);
        String tag = close > open + 1 ? lockKey.substring(open + 1, close) : lockKey;
        return "bench:counter:{" + tag + "}";
    }

    /** GET, then SET value + 1 of counter {@code key}: two round trips with a gap. */
    void increment(String key) {
        RedisAdvancedClusterCommands<String, String> redis = connection.sync();
        String v = redis.get(key);
        redis.set(key, Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
    }

    /** The value of counter {@code key}. */
    long read(String key) {
        String v = connection.sync().get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
