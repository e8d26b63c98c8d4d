package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.spi.LockKeys;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins the cost of the hot path in Redis work (not time): what the client sends and what runs
 * inside the scripts, read from {@code INFO commandstats} deltas.
 */
@Tag("integration")
class ReentrantLockCostTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void uncontendedLockUnlock_isTwoRoundTripsAndSevenCommands() {
        try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build())) {
            RLock lock = holdfast.getLock("cost");
            lock.lock(); // loads the scripts (NOSCRIPT, then EVAL) outside the measurement
            lock.unlock();
            Map<String, Long> before = commandCalls();
            int cycles = 50;
            for (int i = 0; i < cycles; i++) {
                lock.lock();
                lock.unlock();
            }
            Map<String, Long> delta = delta(before, commandCalls());
            delta.remove("info");
            assertThat(delta.get("evalsha")).as("round trips").isEqualTo(2L * cycles);
            long inside = delta.entrySet().stream().filter(e -> !e.getKey().equals("evalsha"))
                    .mapToLong(Map.Entry::getValue).sum();
            // acquire: PTTL HSET PEXPIRE, and TIME and SET ... GET for the fencing token
            // (fencing-token.lua); release: HDEL, ZPOPMIN (nobody queued)
            assertThat(inside).as("commands run by the scripts: %s", delta).isEqualTo(7L * cycles);
            assertThat(delta).containsEntry("set", (long) cycles).doesNotContainKey("get");
        }
    }

    @Test
    void reentrantLevel_isOneRoundTripAndTwoCommandsEachWay() {
        try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build())) {
            RLock lock = holdfast.getLock("deep");
            lock.lock();
            lock.lock();
            lock.unlock();
            Map<String, Long> before = commandCalls();
            for (int i = 0; i < 100; i++) {
                lock.lock();
            }
            for (int i = 0; i < 100; i++) {
                lock.unlock();
            }
            Map<String, Long> delta = delta(before, commandCalls());
            assertThat(delta.get("evalsha")).isEqualTo(200L);
            delta.remove("info");
            // a watchdog re-entry leaves the lease to the watchdog; each level sets the client's count
            // (HEXISTS, HSET) rather than adding to the server's, so a re-sent command counts once
            assertThat(delta).as("commands besides the round trips").containsEntry("hexists", 200L)
                    .containsEntry("hset", 200L).hasSize(3);
            lock.unlock();
            assertThat(lock.isLocked()).isFalse();
        }
    }

    @Test
    void aHandOverToAWaiterOfTheReleasingClient_isToldByTheReleasesReply_notPublished() throws Exception {
        try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build());
                Holdfast other = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build())) {
            // a waiter of the same client: the release's reply tells it, nobody else reads a message
            Map<String, Long> same = handOver(holdfast.getLock("told"), holdfast.getLock("told"));
            assertThat(same).as("same client: %s", same).doesNotContainKey("publish");
            // a waiter of another client: published, as before
            Map<String, Long> across = handOver(holdfast.getLock("published"), other.getLock("published"));
            assertThat(across).as("another client: %s", across).containsEntry("publish", 1L);
        }
    }

    /**
     * The calling thread holds {@code held}; another thread waits in {@code waiting.lock()}; the
     * calling thread unlocks: the commands from that unlock until the waiter holds the lock.
     */
    private static Map<String, Long> handOver(RLock held, RLock waiting) throws Exception {
        held.lock();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            waiting.lock();
            waiting.unlock();
        });
        String queue = QueuedHashKind.queue(LockKeys.of("holdfast:", held.getName()));
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.commands().zcard(queue) == 1);
        Map<String, Long> before = commandCalls();
        held.unlock();
        waiter.get(10, TimeUnit.SECONDS);
        Map<String, Long> delta = delta(before, commandCalls());
        delta.remove("info");
        return delta;
    }

    private static Map<String, Long> commandCalls() {
        return CommandStats.read(redis.commands());
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        return CommandStats.delta(before, after);
    }
}
