package io.holdfast.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/** A Lettuce client with a chosen command timeout that shuts down without a quiet period. */
final class TestClient implements AutoCloseable {

    private final RedisClient client;

    private TestClient(String uri, Duration timeout) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        this.client = RedisClient.create(redisUri);
    }

    static TestClient of(String uri, Duration timeout) {
        return new TestClient(uri, timeout);
    }

    /** Opens a new connection; it is closed when this client closes. */
    RedisCommands<String, String> connect() {
        return client.connect().sync();
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
