package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server the tests run on is one the README supports (6.2 or 7.x), and is the bundled 6.2 when
 * {@code -Dholdfast.redis=bundled} / {@code HOLDFAST_REDIS=bundled} asks for it, so that a CI step run
 * that way proves it ran on 6.2.
 */
@Tag("integration")
class SupportedRedisVersionTest {

    @Test
    void theServerUnderTest_isASupportedVersion_andTheBundled62_whenAskedFor() {
        try (RedisServer server = RedisServer.start()) {
            String version = server.commands().info("server").lines()
                    .filter(l -> l.startsWith("redis_version:")).findFirst().orElseThrow().substring("redis_version:".length()).trim();
            System.out.println("tests run on Redis " + version);
            assertThat(version).as("README: Redis 6.2 and 7.x are supported").matches("6\\.2\\..*|7\\..*");
            if ("bundled".equals(System.getProperty("holdfast.redis", System.getenv("HOLDFAST_REDIS")))) {
                assertThat(version).as("the bundled Redis").startsWith("6.2.");
            }
        }
    }
}
