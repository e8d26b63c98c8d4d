package io.holdfast.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The critical section of the contended scenarios: a non-atomic read-modify-write of a counter in
 * Redis ({@code GET}, then {@code SET} of the value + 1) on a connection of its own. Without
 * mutual exclusion it loses updates; under a correct lock the final value equals the number of
 * acquisitions.
 */
final class Counter implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String key;

    Counter(String redisUri, String key) {
        this.client = RedisClient.create(redisUri);
        this.connection = client.connect();
        this.key = key;
    }

    /** GET, then SET value + 1: two round trips with a gap another holder could fall into. */
    void increment() {
        RedisCommands<String, String> redis = connection.sync();
        String v = redis.get(key);
        redis.set(key, Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
    }

    /** Only reads (the readers' critical section). */
    long read() {
        String v = connection.sync().get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
