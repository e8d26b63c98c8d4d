package io.holdfast.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The proxy itself, in front of a real redis-server, with a Lettuce client. */
@Tag("integration")
class FaultProxyTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private FaultProxy proxy;
    private RedisClient client;

    @BeforeEach
    void start() {
        proxy = FaultProxy.start(redis.server().host(), redis.server().port());
        client = RedisClient.create(proxy.uri());
        client.setOptions(ClientOptions.builder().autoReconnect(false).build());
    }

    @AfterEach
    void stop() {
        client.shutdown(0, 1, TimeUnit.SECONDS);
        proxy.close();
    }

    @Test
    void passthrough_pipelined_commandsSeenInOrder() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> async = c.async();
            c.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(async.rpush("list", "v" + i + "x".repeat(i * 7)));
            }
            c.flushCommands();
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(5), futures.toArray(new RedisFuture[0]))).isTrue();
            c.setAutoFlushCommands(true);
            assertThat(c.sync().llen("list")).isEqualTo(500);
            List<RespCommand> rpush = proxy.links().get(0).commandsSeen().stream()
                    .filter(cmd -> cmd.name().equals("RPUSH")).toList();
            assertThat(rpush).hasSize(500);
            assertThat(rpush.get(499).args()).containsExactly("RPUSH", "list", "v499" + "x".repeat(499 * 7));
        }
        assertThat(redis.commands().lrange("list", 0, 0)).containsExactly("v0");
    }

    @Test
    void holdBackToClient_repliesArriveInOrderAfterRelease() throws Exception {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            Link link = proxy.links().get(0);
            link.holdBack(Direction.TO_CLIENT);
            List<RedisFuture<Long>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(c.async().incr("n"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> "20".equals(redis.commands().get("n")));
            assertThat(replies).noneMatch(RedisFuture::isDone);
            link.release(Direction.TO_CLIENT);
            for (int i = 0; i < 20; i++) {
                assertThat(replies.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i + 1L);
            }
        }
    }

    @Test
    void holdBackToServer_commandsRunOnlyAfterRelease() throws Exception {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            Link link = proxy.links().get(0);
            link.holdBack(Direction.TO_SERVER);
            RedisFuture<String> set = c.async().set("k", "v");
            await().atMost(Duration.ofSeconds(5)).until(() -> !link.commandsSeen().isEmpty()
                    && link.commandsSeen().get(link.commandsSeen().size() - 1).name().equals("SET"));
            assertThat(redis.commands().get("k")).isNull();
            link.release(Direction.TO_SERVER);
            assertThat(set.get(5, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(redis.commands().get("k")).isEqualTo("v");
        }
    }

    @Test
    void blackhole_dropsBytes_andClosesTheLinkWhenItEnds() throws Exception {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            proxy.blackholeAll(true);
            RedisFuture<String> lost = c.async().set("k", "v");
            Link link = proxy.links().get(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> link.commandsSeen().size() > 1);
            assertThat(redis.commands().get("k")).isNull();
            assertThat(lost.isDone()).isFalse();
            proxy.clearFaults();
            // a stream with bytes missing cannot go on (the client would take one reply for another's):
            // the link closes, and the client learns it (this client does not re-send)
            await().atMost(Duration.ofSeconds(10)).until(() -> !proxy.links().contains(link) && lost.isDone());
            assertThat(redis.commands().get("k")).isNull();
        }
    }

    @Test
    void reset_closesTheClientConnection() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
            proxy.resetAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.isOpen());
            assertThat(proxy.links()).isEmpty();
        }
    }

    @Test
    void dropReplyTo_commandRunsButTheClientSeesTheConnectionDrop() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
            proxy.links().get(0).dropReplyTo(cmd -> cmd.name().equals("INCR"), 1);
            RedisFuture<Long> incr = c.async().incr("n");
            await().atMost(Duration.ofSeconds(5)).until(incr::isDone);
            assertThat(incr.toCompletableFuture()).isCompletedExceptionally();
            assertThat(c.isOpen()).isFalse();
            assertThat(redis.commands().get("n")).isEqualTo("1");
        }
    }

    @Test
    void dropReplyTo_withAutoReconnect_theCommandRunsTwice() throws Exception {
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            proxy.links().get(0).dropReplyTo(cmd -> cmd.name().equals("INCR"), 1);
            assertThat(c.async().incr("n").get(5, TimeUnit.SECONDS)).isEqualTo(2L);
            assertThat(proxy.links()).extracting(Link::id).containsExactly(2);
        }
    }

    /**
     * What Lettuce 7.7's {@code ClientOptions.replayFilter} does: it is consulted only for commands
     * written while disconnected, never for commands in flight when the connection drops. Those
     * are re-sent after the reconnect whatever the filter says, so the INCR runs twice.
     */
    @Test
    void dropReplyTo_aReplayFilterDoesNotStopTheResendOfACommandInFlight() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        client.setOptions(ClientOptions.builder().autoReconnect(true).replayFilter(cmd -> {
            asked.add(cmd.getType().toString());
            return true;
        }).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            proxy.links().get(0).dropReplyTo(cmd -> cmd.name().equals("INCR"), 1);
            assertThat(c.async().incr("n").get(5, TimeUnit.SECONDS)).isEqualTo(2L);
            assertThat(asked).isEmpty();
        }
    }

    /**
     * A command written while disconnected and matched by the replay filter is dropped from the
     * buffer: it never runs, and nothing completes it (only a command timeout, if enabled, would).
     */
    @Test
    void aReplayFilter_dropsACommandWrittenWhileDisconnected() {
        client.setOptions(ClientOptions.builder().autoReconnect(true).replayFilter(cmd -> true).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            proxy.blackholeAll(true);
            proxy.resetAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.isOpen());
            RedisFuture<Long> incr = c.async().incr("n");
            proxy.clearFaults();
            proxy.resetAll(); // the reconnect stuck in its handshake starts again, now without faults
            await().atMost(Duration.ofSeconds(10)).until(c::isOpen);
            assertThat(c.sync().ping()).isEqualTo("PONG");
            assertThat(incr.isDone()).as("neither completed, failed nor cancelled").isFalse();
            assertThat(redis.commands().get("n")).isNull();
        }
    }

    @Test
    void pubSubLink_isRecognisedAndItsMessagesCanBeHeldBack() {
        List<String> received = new CopyOnWriteArrayList<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            sub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(message);
                }
            });
            sub.sync().subscribe("ch");
            Link link = proxy.links().get(0);
            assertThat(link.isPubSub()).isTrue();
            link.holdBack(Direction.TO_CLIENT);
            redis.commands().publish("ch", "a");
            redis.commands().publish("ch", "b");
            assertThat(received).isEmpty();
            link.release(Direction.TO_CLIENT);
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
            assertThat(received).containsExactly("a", "b");
        }
    }

    @Test
    void latency_delaysEveryChunkWithinBounds() {
        proxy.latency(Direction.TO_CLIENT, 150, 200, 42);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThat(c.sync().ping()).isEqualTo("PONG");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(150L, 1_000L);
            }
            proxy.clearFaults();
            long start = System.nanoTime();
            c.sync().ping();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(150L);
        }
    }
}
