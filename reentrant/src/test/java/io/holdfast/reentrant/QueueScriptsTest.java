package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queued locks' scripts on their own, against a real Redis: the queue's server-side rules, as
 * the fair lock uses them (and, in one test, the default lock's barging).
 */
@Tag("integration")
class QueueScriptsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final LockKeys KEYS = LockKeys.of("holdfast:", "scripts");
    private static final String QUEUE = QueuedHashKind.queue(KEYS);
    private static final String[] SCRIPT_KEYS = {KEYS.key(), QUEUE, QueuedHashKind.waiterPrefix(KEYS), KEYS.channel(), KEYS.tokenKey()};

    @Test
    void waitingAttempt_queuesOnce_andAQueueWhoseWaitersDiedExpiresByItself() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");

        List<Long> busy = attempt("waiter:1", "join", 400, 400);
        assertThat(busy.get(0)).isZero();
        assertThat(busy.get(1)).as("it looks again when the holder's lease runs out").isBetween(1L, 60_000L);
        List<Long> again = attempt("waiter:1", "wait", 400, 400);
        assertThat(again.get(0)).isZero();
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("waiter:1");
        assertThat(r.get(waiter("waiter:1"))).as("the lease to hand over with, the acquisition, its placement")
                .matches("400:9\\.\\d+");
        assertThat((Object) again.get(3)).as("a later attempt keeps the placement and replies it")
                .isEqualTo(r.get(waiter("waiter:1"))).isEqualTo(busy.get(3));
        assertThat(r.pttl(waiter("waiter:1"))).isBetween(1L, 400L);
        assertThat(r.pttl(QUEUE)).isBetween(401L, 1_200L);

        // nobody renews or retries: the waiter key, then the queue vanish; the lock stays
        await().atMost(Duration.ofSeconds(5)).until(() -> r.exists(QUEUE, waiter("waiter:1")) == 0);
        assertThat(r.exists(KEYS.key())).isEqualTo(1);
    }

    @Test
    void release_handsTheLockOver_toTheFirstLiveWaiter_skippingDeadOnes() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");
        r.rpush(QUEUE, "dead:1", "live:1", "live:2");
        r.psetex(waiter("live:1"), 60_000, "7000:1");
        r.psetex(waiter("live:2"), 60_000, "7000:1");

        List<Object> released = release("holder:1");
        assertThat(released.get(0)).isEqualTo(0L);
        assertThat((String) released.get(1)).as("what it published, for the releasing client too")
                .matches("!\\d{16}\\|1\\|live:1");

        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:1").containsEntry("live:1", "1");
        assertThat(r.pttl(KEYS.key())).as("granted with the lease its waiter key announced").isBetween(6_000L, 7_000L);
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("live:2");
        assertThat(r.exists(waiter("live:1"))).as("a granted waiter is no longer waiting").isZero();

        // its hand-over message was lost: its next attempt finds the hold and reports it acquired
        assertThat(attempt("live:1", "wait", 5_000, 5_000).get(0)).isEqualTo(1L);
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("live:2");
    }

    @Test
    void deadWaiters_areDroppedAtMost100PerCall_andTheAttemptLooksAgainAtOnce() {
        RedisCommands<String, String> r = redis.commands();
        for (int i = 0; i < 250; i++) {
            r.rpush(QUEUE, "dead:" + i);
        }
        assertThat(attempt("me:1", "try", 1_000, 0).subList(0, 2)).containsExactly(0L, 0L);
        assertThat(r.llen(QUEUE)).isEqualTo(150);
        assertThat(attempt("me:1", "try", 1_000, 0).subList(0, 2)).containsExactly(0L, 0L);
        assertThat(attempt("me:1", "try", 1_000, 0).get(0)).isEqualTo(1L);
        assertThat(r.exists(QUEUE)).isZero();
    }

    @Test
    void aReleaseThatFindsMoreThan100DeadWaiters_freesTheLock_andWakesTheWaitersToLookAgain() {
        // issue 12, item 4: a killed process with many queued threads leaves this queue behind;
        // the release used to publish nothing here, and the live waiter slept until its timer
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");
        for (int i = 0; i < 150; i++) {
            r.rpush(QUEUE, "dead:" + i);
        }
        r.rpush(QUEUE, "live:1");
        r.psetex(waiter("live:1"), 60_000, "7000:1");

        List<Object> released = release("holder:1");
        assertThat(released.get(0)).isEqualTo(0L);
        assertThat(released.get(1)).as("a wake-up for every waiter: look again at once").isEqualTo("1");
        assertThat(r.exists(KEYS.key())).as("the lock is free, not handed to anyone yet").isZero();
        assertThat(r.lrange(QUEUE, 0, -1)).as("100 dead dropped by the release").hasSize(51).endsWith("live:1");

        // the woken live waiter's attempt drops the rest and, at the head, takes the lock
        List<Long> first = attempt("live:1", "wait", 7_000, 7_000);
        List<Long> result = first.get(0) == 1L ? first : attempt("live:1", "wait", 7_000, 7_000);
        assertThat(result.get(0)).isEqualTo(1L);
        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:1");
    }

    @Test
    void aWaiterWhoseQueueEntryVanished_isQueuedAgainByItsNextAttempt() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");
        attempt("waiter:1", "join", 5_000, 5_000);
        r.del(QUEUE); // e.g. the queue expired while the waiter key was still there
        attempt("waiter:1", "wait", 5_000, 5_000);
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("waiter:1");
    }

    @Test
    void renewal_extendsLiveWaiters_andReportsWaitersWhoseKeyIsGone() {
        RedisCommands<String, String> r = redis.commands();
        r.rpush(QUEUE, "live:1", "late:1");
        r.psetex(waiter("live:1"), 100, "5000:9.1");

        Script renew = Script.load(QueuedHashKind.class, "renew-places.lua");
        List<Long> renewed = r.eval(renew.source(), ScriptOutputType.MULTI,
                new String[] {waiter("live:1"), QUEUE, waiter("late:1"), QUEUE},
                "5000", "2", "live:1|5000:9.1", "late:1|5000:9.2");

        assertThat(renewed).containsExactly(1L, 0L);
        assertThat(r.pttl(waiter("live:1"))).isBetween(4_000L, 5_000L);
        assertThat(r.pttl(QUEUE)).isBetween(14_000L, 15_000L);
        assertThat(r.lrange(QUEUE, 0, -1)).as("left for the next script that frees the lock to skip")
                .containsExactly("live:1", "late:1");

        // the queue expired under a live waiter (every other waiter died long ago): started again with it
        r.del(QUEUE);
        assertThat((List<Long>) r.eval(renew.source(), ScriptOutputType.MULTI, new String[] {waiter("live:1"), QUEUE},
                "5000", "2", "live:1|5000:9.1")).containsExactly(1L);
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("live:1");
        assertThat(r.pttl(QUEUE)).isBetween(14_000L, 15_000L);
    }

    @Test
    void aReSentFirstWaitingAttempt_findsTheHoldAHandOverGaveIt_insteadOfQueueingAgain() {
        RedisCommands<String, String> r = redis.commands();
        // the join ran, a release handed the lock over to it, then the join ran again (re-sent after
        // a reconnect): it must not queue a holder that holds the lock
        holdBy("waiter:1");
        assertThat(attempt("waiter:1", "join", 5_000, 5_000).get(0)).isEqualTo(1L);
        assertThat(r.exists(QUEUE, waiter("waiter:1"))).isZero();
    }

    @Test
    void theDefaultLock_barges_aFreeLockGoesToWhoeverAsks_andTheQueueKeepsItsOrder() {
        RedisCommands<String, String> r = redis.commands();
        r.rpush(QUEUE, "live:1", "live:2");
        r.psetex(waiter("live:1"), 60_000, "7000:1"); // e.g. the lock's holder expired: nobody released it
        r.psetex(waiter("live:2"), 60_000, "7000:1");
        assertThat(attempt("newcomer:1", "try", 5_000, 0, "barge").get(0)).isEqualTo(1L);
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("live:1", "live:2");

        // its release hands the lock over in queue order
        release("newcomer:1");
        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:1");
        assertThat(r.lrange(QUEUE, 0, -1)).containsExactly("live:2");
    }

    @Test
    void fair_aFreeLockWithALiveHead_isHandedToTheHeadByWhoeverFindsItFree() {
        RedisCommands<String, String> r = redis.commands();
        r.rpush(QUEUE, "live:1");
        r.psetex(waiter("live:1"), 60_000, "7000:1");
        assertThat(attempt("newcomer:1", "try", 5_000, 0).get(0)).as("fair: not its turn").isZero();
        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:1");
        assertThat(r.exists(QUEUE, waiter("live:1"))).isZero();
    }

    @Test
    void aWaiterKeyWithoutAUsableLease_countsAsDead() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");
        r.rpush(QUEUE, "odd:1", "live:2");
        r.psetex(waiter("odd:1"), 60_000, "0:1");
        r.psetex(waiter("live:2"), 60_000, "7000:1");
        release("holder:1");
        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:2");
        assertThat(r.exists(QUEUE, waiter("odd:1"))).isZero();
    }

    private static void holdBy(String holder) {
        redis.commands().hset(KEYS.key(), holder, "1");
        redis.commands().pexpire(KEYS.key(), 60_000);
    }

    private static String waiter(String holder) {
        return QueuedHashKind.waiterKey(KEYS, holder);
    }

    private static List<Long> attempt(String holder, String mode, long waiterTimeout, long handOverLease) {
        return attempt(holder, mode, waiterTimeout, handOverLease, "fair");
    }

    private static List<Long> attempt(String holder, String mode, long waiterTimeout, long handOverLease, String policy) {
        Script acquire = Script.load(QueuedHashKind.class, "acquire.lua");
        return redis.commands().eval(acquire.source(), ScriptOutputType.MULTI, SCRIPT_KEYS,
                holder, "30000", mode, Long.toString(waiterTimeout), handOverLease + ":9", policy);
    }

    /** Releases the last level: {levels left, the message published}. */
    private static List<Object> release(String holder) {
        Script release = Script.load(QueuedHashKind.class, "release.lua");
        return redis.commands().eval(release.source(), ScriptOutputType.MULTI, SCRIPT_KEYS, holder, "0");
    }
}
