package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exercises {@link RedisSentinelGroup} with real redis-server and sentinel processes. */
@Tag("integration")
class RedisSentinelGroupTest {

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void uri_isASentinelUriLettuceParses() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
            RedisURI parsed = RedisURI.create(group.uri());

            assertThat(parsed.getSentinelMasterId()).isEqualTo("holdfast");
            assertThat(parsed.getSentinels()).extracting(RedisURI::getPort)
                    .containsExactlyElementsOf(
                            group.sentinels().stream().map(RedisServer::port).toList());
            assertThat(group.redisUri().getSentinels()).hasSize(3);
            assertThat(group.servers()).hasSize(3);
            assertThat(group.currentMaster()).isSameAs(group.servers().get(0));
            assertThat(group.replicas()).containsExactlyElementsOf(group.servers().subList(1, 3));
        }
    }

    @Test
    @Timeout(60)
    void killMaster_sentinelsPromoteAReplica_andTheSameClientWritesAgain() {
        List<Long> pids = new ArrayList<>();
        try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
            Stream.concat(group.servers().stream(), group.sentinels().stream())
                    .forEach(server -> pids.add(server.pid()));
            RedisClient client = RedisClient.create(group.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.setTimeout(Duration.ofSeconds(2));
                RedisCommands<String, String> redis = connection.sync();
                redis.set("before", "1");
                RedisServer oldMaster = group.currentMaster();
                // let the write reach the replicas, so it survives the failover
                redis.waitForReplication(2, 2000);

                group.killMaster();
                RedisServer newMaster = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);

                assertThat(newMaster).isNotSameAs(oldMaster);
                assertThat(oldMaster.isRunning()).isFalse();
                assertThat(group.currentMaster()).isSameAs(newMaster);
                await("the client writes through the new master")
                        .atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions()
                        .until(() -> "OK".equals(redis.set("after", "2")));
                assertThat(newMaster.commands().get("after")).isEqualTo("2");
                assertThat(redis.get("before")).isEqualTo("1");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        assertThat(pids).hasSize(6)
                .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                        .isEmpty());
    }

    @Test
    @Timeout(60)
    void failover_movesTheMasterRole_andANewClientFindsIt() {
        try (RedisSentinelGroup group = RedisSentinelGroup.builder().replicas(1).start()) {
            RedisServer oldMaster = group.failover();
            RedisServer newMaster = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);

            assertThat(newMaster).isNotSameAs(oldMaster);
            assertThat(oldMaster.isRunning()).isTrue();
            assertThat(group.currentMaster()).isSameAs(newMaster);
            assertThat(group.replicas()).containsExactly(oldMaster);
            RedisClient client = RedisClient.create(group.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("k", "v");
                assertThat(newMaster.commands().get("k")).isEqualTo("v");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    @Timeout(60)
    void requirePass_clientsAuthenticateThroughTheUri_andFailoverStillWorks() {
        try (RedisSentinelGroup group = RedisSentinelGroup.builder()
                .replicas(1).requirePass("s3cret").start()) {
            assertThat(group.uri()).startsWith("redis-sentinel://:s3cret@");
            assertThat(group.currentMaster().password()).contains("s3cret");
            RedisClient client = RedisClient.create(group.uri());
            RedisClient fromRedisUri = RedisClient.create(group.redisUri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.setTimeout(Duration.ofSeconds(2));
                connection.sync().set("k", "1");

                RedisServer oldMaster = group.killMaster();
                group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);

                await("the client writes through the new master")
                        .atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions()
                        .until(() -> "OK".equals(connection.sync().set("k", "2")));
                try (StatefulRedisConnection<String, String> second = fromRedisUri.connect()) {
                    assertThat(second.sync().get("k")).isEqualTo("2");
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                fromRedisUri.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
