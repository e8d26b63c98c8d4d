package io.holdfast.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * The fixture-owned Lettuce connection behind {@link RedisServer#commands()}: created on first
 * use, dropped by {@link #reset()} when the server goes away, recreated on next use.
 */
final class FixtureConnection implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final String uri;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    FixtureConnection(String uri) {
        this.uri = uri;
    }

    /** Returns synchronous commands, connecting first if needed; throws if unreachable. */
    synchronized RedisCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            reset();
            if (client == null) {
                RedisURI redisUri = RedisURI.create(uri);
                redisUri.setTimeout(COMMAND_TIMEOUT);
                client = RedisClient.create(redisUri);
            }
            connection = client.connect();
        }
        return connection.sync();
    }

    /** Closes the current connection, if any; the client stays for the next one. */
    synchronized void reset() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        reset();
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            client = null;
        }
    }
}
