package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.RedisServerExtension;
import java.util.Map;
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

    private static Map<String, Long> commandCalls() {
        return CommandStats.read(redis.commands());
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        return CommandStats.delta(before, after);
    }
}
