package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link HoldfastOptions.Builder#clientResources}: the client's connections are built on the
 * caller's Lettuce resources (their command latency recorder sees Holdfast's commands), and
 * {@link Holdfast#close()} leaves them running for the caller to shut down.
 */
@Tag("integration")
class ClientResourcesTest {

    /** Counts the commands Lettuce reports per command type. */
    static final class CountingRecorder implements CommandLatencyRecorder {
        final Map<String, LongAdder> commands = new ConcurrentHashMap<>();

        @Override
        public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword type,
                long firstResponseLatency, long completionLatency) {
            commands.computeIfAbsent(type.toString(), t -> new LongAdder()).increment();
        }

        long count(String type) {
            LongAdder n = commands.get(type);
            return n == null ? 0 : n.sum();
        }
    }

    @Test
    void givenResources_carryHoldfastsCommands_andOutliveTheClient() throws Exception {
        CountingRecorder recorder = new CountingRecorder();
        ClientResources resources = DefaultClientResources.builder().commandLatencyRecorder(recorder).build();
        try (RedisServer server = RedisServer.start()) {
            try (Holdfast client = Holdfast.connect(HoldfastOptions.builder(server.uri()).clientResources(resources).build())) {
                RLock lock = client.getLock("resources");
                for (int i = 0; i < 3; i++) {
                    lock.lock();
                    lock.unlock();
                }
            }
            assertThat(recorder.count("EVALSHA") + recorder.count("EVAL"))
                    .as("the acquire and release scripts went through the given resources: %s", recorder.commands)
                    .isGreaterThanOrEqualTo(6);
            assertThat(resources.eventExecutorGroup().isShuttingDown()).as("Holdfast.close() left them running").isFalse();
            // still usable by the caller after Holdfast closed
            RedisClient other = RedisClient.create(resources, server.uri());
            try (StatefulRedisConnection<String, String> c = other.connect()) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
            } finally {
                other.shutdown();
            }
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get();
        }
    }

    @Test
    void clientResources_alreadyShutDown_isRefusedAtOnce() throws Exception {
        ClientResources resources = DefaultClientResources.create();
        resources.shutdown(0, 2, TimeUnit.SECONDS).get();
        assertThatThrownBy(() -> HoldfastOptions.builder("redis://127.0.0.1:6379").clientResources(resources))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shut down");
        assertThatThrownBy(() -> HoldfastOptions.builder("redis://127.0.0.1:6379").clientResources(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clientResources");
    }
}
