package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a condition costs, in round trips and commands run by its scripts (see README, "Conditions"). */
@Tag("integration")
class ConditionCostTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void signal_isOneScriptCall_andATimedOutAwait_isFourPlusTheSubscription() throws Exception {
        // a waiter timeout far longer than the waits: no renewal, no periodic look in the window
        try (Holdfast client = Holdfast.connect(HoldfastOptions.builder(redis.uri())
                .fairWaiterTimeout(Duration.ofSeconds(30)).build())) {
            RLock lock = client.getLock("cost");
            Condition c = lock.newCondition();
            lock.lock();
            try {
                c.signal(); // loads the script
                Map<String, Long> before = CommandStats.read(redis.commands());
                for (int i = 0; i < 10; i++) {
                    c.signal();
                }
                Map<String, Long> delta = delta(before);
                assertThat(delta.get("evalsha")).as("one round trip per signal").isEqualTo(10L);
                // HEXISTS, TIME, ZPOPMIN (empty): nobody waits
                assertThat(delta).as("commands run by the script: %s", delta).containsEntry("hexists", 10L)
                        .containsEntry("zpopmin", 10L).containsEntry("time", 10L).hasSize(4);

                c.await(50, TimeUnit.MILLISECONDS); // loads the scripts, subscribes (the channel lingers 1 s)
                before = CommandStats.read(redis.commands());
                assertThat(c.await(50, TimeUnit.MILLISECONDS)).isFalse();
                delta = delta(before);
                assertThat(delta.get("evalsha")).as("register, release, leave, acquire: %s", delta).isEqualTo(4L);
                assertThat(delta.getOrDefault("subscribe", 0L)).as("the channel is still subscribed").isLessThanOrEqualTo(1L);
            } finally {
                lock.unlock();
            }
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before) {
        Map<String, Long> delta = CommandStats.delta(before, CommandStats.read(redis.commands()));
        delta.remove("info");
        return delta;
    }
}
