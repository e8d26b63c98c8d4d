package io.holdfast.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

/** The bench's own connection to the Redis under test, for INFO snapshots and housekeeping. */
final class RedisProbe implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String uri;

    RedisProbe(String uri) {
        this.uri = uri;
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
    }

    String uri() {
        return uri;
    }

    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** Calls per command and CPU time so far. */
    RedisWork snapshot() {
        RedisCommands<String, String> redis = connection.sync();
        return RedisWork.parse(redis.info("commandstats"), redis.info("cpu"));
    }

    /** The server's version, e.g. {@code 7.0.15}. */
    String serverVersion() {
        for (String line : connection.sync().info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "?";
    }

    /** Deletes every key (between runs, so no run sees another's leftovers). */
    void flush() {
        connection.sync().flushall();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
