package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fallback for machines with only a JDK: the redis-server bundled in a Maven Central artifact
 * must start and run what Holdfast needs (scripts with TIME, hashes, pub/sub).
 */
@Tag("integration")
class BundledRedisBinaryTest {

    @Test
    void bundledServer_runsScriptsAndHashes() {
        Path binary = BundledRedisBinary.locate()
                .orElseThrow(() -> new AssertionError("no bundled redis-server runs on "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch")));
        try (RedisServer redis = RedisServer.builder().binary(binary).start()) {
            assertThat(redis.commands().info("server")).contains("redis_version:6.2");
            Long written = redis.commands().eval(
                    "redis.call('HSET', KEYS[1], ARGV[1], 1); redis.call('PEXPIRE', KEYS[1], 1000);"
                            + " return tonumber(redis.call('TIME')[1])",
                    io.lettuce.core.ScriptOutputType.INTEGER, new String[] {"k"}, "holder");
            assertThat(written).isPositive();
            assertThat(redis.commands().hget("k", "holder")).isEqualTo("1");
            assertThat(redis.commands().pubsubChannels()).isEqualTo(List.of());
        }
    }
}
