package io.holdfast.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fair lock's scripts on their own, against a real Redis: the queue's server-side rules. */
class FairScriptsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final LockKeys KEYS = LockKeys.of("holdfast:", "scripts");
    private static final String QUEUE = FairKind.queue(KEYS);
    private static final String DEADLINES = FairKind.deadlines(KEYS);

    @Test
    void waitingAttempt_queuesOnce_andAQueueWhoseWaitersDiedExpiresByItself() {
        RedisCommands<String, String> r = redis.commands();
        r.hset(KEYS.key(), "holder:1", "1");
        r.pexpire(KEYS.key(), 60_000);

        List<Long> busy = attempt("waiter:1", "wait", 400);
        assertThat(busy.get(0)).isZero();
        assertThat(busy.get(1)).as("the head looks again when the holder's lease runs out").isBetween(1L, 60_000L);
        assertThat(attempt("waiter:1", "wait", 400).get(0)).isZero();
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("waiter:1");
        assertThat(r.pttl(QUEUE)).isBetween(1L, 400L);
        assertThat(r.pttl(DEADLINES)).isBetween(1L, 400L);

        // nobody renews or retries: both queue keys vanish, the lock stays
        await().atMost(Duration.ofSeconds(5)).until(() -> r.exists(QUEUE, DEADLINES) == 0);
        assertThat(r.exists(KEYS.key())).isEqualTo(1);
    }

    @Test
    void eviction_isBoundedPerCall_andAnAttemptTriesAgainAtOnceWhenTheHeadWasJustEvicted() {
        RedisCommands<String, String> r = redis.commands();
        for (int i = 0; i < 250; i++) {
            r.rpush(QUEUE, "dead:" + i);
            r.zadd(DEADLINES, 1, "dead:" + i);
        }
        List<Long> first = attempt("me:1", "try", 1_000);
        assertThat(first).containsExactly(0L, 0L); // 200 evicted, the rest next time
        assertThat(r.llen(QUEUE)).isEqualTo(50);
        assertThat(attempt("me:1", "try", 1_000).get(0)).isEqualTo(1L);
        assertThat(r.exists(QUEUE, DEADLINES)).isZero();
    }

    @Test
    void renewal_extendsLiveWaiters_andReportsWaitersPastTheirDeadlineAsGone() {
        RedisCommands<String, String> r = redis.commands();
        r.rpush(QUEUE, "live:1", "late:1");
        r.zadd(DEADLINES, 1, "late:1");
        r.zadd(DEADLINES, 9_999_999_999_999L, "live:1");
        r.zadd(DEADLINES, 9_999_999_999_999L, "left:1");
        r.zrem(DEADLINES, "left:1");

        Script renew = Script.load(QueuePlace.class, "renew-places.lua");
        List<Long> renewed = r.eval(renew.source(), ScriptOutputType.MULTI,
                new String[] {DEADLINES, QUEUE, DEADLINES, QUEUE, DEADLINES, QUEUE},
                "5000", "2", "live:1", "late:1", "left:1");

        assertThat(renewed).containsExactly(1L, 0L, 0L);
        assertThat(r.zscore(DEADLINES, "live:1")).isLessThan(9_999_999_999_999d);
        assertThat(r.zscore(DEADLINES, "late:1")).isEqualTo(1d); // left for the next attempt to evict
        assertThat(r.pttl(QUEUE)).isGreaterThan(0);
    }

    private static List<Long> attempt(String holder, String mode, long waiterTimeout) {
        Script acquire = Script.load(FairKind.class, "acquire.lua");
        return redis.commands().eval(acquire.source(), ScriptOutputType.MULTI,
                new String[] {KEYS.key(), QUEUE, DEADLINES, KEYS.channel()},
                holder, "30000", mode, Long.toString(waiterTimeout));
    }
}
