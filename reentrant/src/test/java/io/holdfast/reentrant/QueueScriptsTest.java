package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
    private static final String WAITERS = QueuedHashKind.waiters(KEYS);
    private static final String[] SCRIPT_KEYS = QueuedHashKind.keys(KEYS);

    @Test
    void waitingAttempt_queuesOnce_andAQueueWhoseWaitersDiedExpiresByItself() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");

        List<Long> busy = attempt("waiter:1", "join", 400, 400);
        assertThat(busy.get(0)).isZero();
        assertThat(busy.get(1)).as("it looks again when the holder's lease runs out").isBetween(1L, 60_000L);
        List<Long> again = attempt("waiter:1", "wait", 400, 400);
        assertThat(again.get(0)).isZero();
        assertThat(queue()).containsExactly("waiter:1");
        assertThat(waiter("waiter:1")).as("the lease to hand over with, the acquisition, its placement")
                .matches("400:9\\.\\d+");
        assertThat((Object) again.get(3)).as("a later attempt keeps the placement and replies it")
                .isEqualTo(waiter("waiter:1")).isEqualTo(busy.get(3));
        assertThat(waiterTtl("waiter:1")).isBetween(1L, 400L);
        for (String key : new String[] {QUEUE, WAITERS}) {
            assertThat(r.pttl(key)).as(key).isBetween(401L, 1_200L);
        }

        // nobody renews or retries: the waiter dies, then the queue's keys vanish; the lock stays
        await().atMost(Duration.ofSeconds(2)).until(() -> waiterTtl("waiter:1") <= 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.exists(QUEUE, WAITERS) == 0);
        assertThat(r.exists(KEYS.key())).isEqualTo(1);
    }

    @Test
    void release_handsTheLockOver_toTheFirstLiveWaiter_skippingDeadOnes() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");
        enqueueDead("dead:1");
        enqueue("live:1", 60_000, "7000:1");
        enqueue("live:2", 60_000, "7000:1");

        List<Object> released = release("holder:1");
        assertThat(released.get(0)).isEqualTo(0L);
        assertThat((String) released.get(1)).as("what it published, for the releasing client too")
                .matches("!\\d{16}\\|1\\|live:1");

        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:1").containsEntry("live:1", "1");
        assertThat(r.pttl(KEYS.key())).as("granted with the lease its waiter entry announced").isBetween(6_000L, 7_000L);
        assertThat(queue()).containsExactly("live:2");
        assertThat(waiter("live:1")).as("a granted waiter is no longer waiting").isNull();
        assertThat(r.hkeys(WAITERS)).as("nor the dead one").containsExactly("live:2");

        // its hand-over message was lost: its next attempt finds the hold and reports it acquired
        assertThat(attempt("live:1", "wait", 5_000, 5_000).get(0)).isEqualTo(1L);
        assertThat(queue()).containsExactly("live:2");
    }

    @Test
    void deadWaiters_areDroppedAtMost100PerCall_andTheAttemptLooksAgainAtOnce() {
        RedisCommands<String, String> r = redis.commands();
        for (int i = 0; i < 250; i++) {
            if (i % 2 == 0) {
                enqueueDead("dead:" + i);
            } else {
                enqueue("dead:" + i, -1, "7000:1"); // its deadline passed
            }
        }
        assertThat(attempt("me:1", "try", 1_000, 0).subList(0, 2)).containsExactly(0L, 0L);
        assertThat(r.zcard(QUEUE)).isEqualTo(150);
        assertThat(r.hlen(WAITERS)).as("the dropped ones' entries went with them").isEqualTo(75);
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
            enqueueDead("dead:" + i);
        }
        enqueue("live:1", 60_000, "7000:1");

        List<Object> released = release("holder:1");
        assertThat(released.get(0)).isEqualTo(0L);
        assertThat(released.get(1)).as("a wake-up for every waiter: look again at once").isEqualTo("1");
        assertThat(r.exists(KEYS.key())).as("the lock is free, not handed to anyone yet").isZero();
        assertThat(queue()).as("100 dead dropped by the release").hasSize(51).endsWith("live:1");

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
        String placement = waiter("waiter:1");
        r.del(QUEUE); // e.g. somebody deleted the queue key while the waiter entry was still there
        attempt("waiter:1", "wait", 5_000, 5_000);
        assertThat(queue()).containsExactly("waiter:1");
        assertThat(waiter("waiter:1")).as("the same placement").isEqualTo(placement);
        assertThat(r.pttl(QUEUE)).as("the queue key, created again, expires too").isBetween(1L, 15_000L);
    }

    @Test
    void tokens_followTheServersClock_andGrowPastALastTokenAheadOfIt() {
        RedisCommands<String, String> r = redis.commands();
        long before = serverMillis() * 1000;
        List<Long> first = attempt("a:1", "try", 5_000, 5_000);
        assertThat(first.get(0)).isEqualTo(1L);
        assertThat(first.get(1)).as("the clock in microseconds").isBetween(before, serverMillis() * 1000 + 1_000);
        assertThat(r.get(KEYS.tokenKey())).isEqualTo(Long.toString(first.get(1)));
        release("a:1");

        // the last token stands ahead of the clock (a clock set back): tokens still grow, by one
        long ahead = first.get(1) + 3_600_000_000L;
        r.set(KEYS.tokenKey(), Long.toString(ahead));
        List<Long> second = attempt("b:1", "try", 5_000, 5_000);
        assertThat(second.get(1)).isEqualTo(ahead + 1);
        release("b:1");
        // handed over (the release's path): the same rule
        holdBy("c:1");
        attempt("d:1", "join", 5_000, 5_000);
        assertThat(release("c:1").get(1)).as("the hand-over message").asString().startsWith("!" + (ahead + 2) + "|");
        assertThat(r.get(KEYS.tokenKey())).isEqualTo(Long.toString(ahead + 2));
    }

    @Test
    void theQueuesKeys_shareOneTtl_whichAnAttemptSetsOncePerWaiterTimeout() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");
        attempt("waiter:1", "join", 1_000, 1_000);
        for (String key : new String[] {QUEUE, WAITERS}) {
            assertThat(r.pttl(key)).as(key + ": 3 waiter timeouts").isBetween(2_001L, 3_000L);
        }
        // 2 waiter timeouts or more left: an attempt leaves the TTL alone
        r.pexpire(QUEUE, 2_500);
        r.pexpire(WAITERS, 2_500);
        attempt("waiter:1", "wait", 1_000, 1_000);
        attempt("waiter:2", "join", 1_000, 1_000);
        for (String key : new String[] {QUEUE, WAITERS}) {
            assertThat(r.pttl(key)).as(key + ": not written again").isBetween(2_001L, 2_500L);
        }
        // less than that on the waiters key (whose TTL stands for both): the next attempt sets 3
        // waiter timeouts on both again
        r.pexpire(WAITERS, 1_900);
        attempt("waiter:2", "wait", 1_000, 1_000);
        for (String key : new String[] {QUEUE, WAITERS}) {
            assertThat(r.pttl(key)).as(key + ": written again").isBetween(2_501L, 3_000L);
        }
        assertThat(queue()).containsExactly("waiter:1", "waiter:2");
    }

    @Test
    void renewal_extendsLiveWaiters_andReportsWaitersWhoseKeyIsGone() {
        RedisCommands<String, String> r = redis.commands();
        enqueue("live:1", 2_000, "5000:9.1"); // alive for 2 s: a loaded machine may take 100 ms between two commands
        enqueueDead("late:1");
        enqueue("expired:1", -1, "5000:9.3");

        Script renew = Script.load(QueuedHashKind.class, "renew-places.lua");
        String[] item = {WAITERS, QUEUE};
        List<Long> renewed = r.eval(renew.source(), ScriptOutputType.MULTI, concat(item, item, item),
                "5000", "2", "live:1|5000:9.1", "late:1|5000:9.2", "expired:1|5000:9.3");

        assertThat(renewed).as("an expired waiter is never revived").containsExactly(1L, 0L, 0L);
        assertThat(waiterTtl("live:1")).isBetween(4_000L, 5_000L);
        assertThat(waiterTtl("expired:1")).isNotPositive();
        for (String key : item) {
            assertThat(r.pttl(key)).as(key).isBetween(14_000L, 15_000L);
        }
        assertThat(queue()).as("left for the next script that frees the lock to skip")
                .containsExactly("live:1", "late:1", "expired:1");

        // the queue entry vanished under a live waiter (its key was deleted): queued again with it
        r.del(QUEUE);
        assertThat((List<Long>) r.eval(renew.source(), ScriptOutputType.MULTI, item,
                "5000", "2", "live:1|5000:9.1")).containsExactly(1L);
        assertThat(queue()).containsExactly("live:1");
        assertThat(r.pttl(QUEUE)).isBetween(14_000L, 15_000L);
    }

    @Test
    void aReSentFirstWaitingAttempt_findsTheHoldAHandOverGaveIt_insteadOfQueueingAgain() {
        RedisCommands<String, String> r = redis.commands();
        // the join ran, a release handed the lock over to it, then the join ran again (re-sent after
        // a reconnect): it must not queue a holder that holds the lock
        holdBy("waiter:1");
        assertThat(attempt("waiter:1", "join", 5_000, 5_000).get(0)).isEqualTo(1L);
        assertThat(r.exists(QUEUE, WAITERS)).isZero();
    }

    @Test
    void theDefaultLock_barges_aFreeLockGoesToWhoeverAsks_andTheQueueKeepsItsOrder() {
        RedisCommands<String, String> r = redis.commands();
        enqueue("live:1", 60_000, "7000:1"); // e.g. the lock's holder expired: nobody released it
        enqueue("live:2", 60_000, "7000:1");
        assertThat(attempt("newcomer:1", "try", 5_000, 0, "barge").get(0)).isEqualTo(1L);
        assertThat(queue()).containsExactly("live:1", "live:2");

        // its release hands the lock over in queue order
        release("newcomer:1");
        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:1");
        assertThat(queue()).containsExactly("live:2");
    }

    @Test
    void fair_aFreeLockWithALiveHead_isHandedToTheHeadByWhoeverFindsItFree() {
        RedisCommands<String, String> r = redis.commands();
        enqueue("live:1", 60_000, "7000:1");
        assertThat(attempt("newcomer:1", "try", 5_000, 0).get(0)).as("fair: not its turn").isZero();
        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:1");
        assertThat(r.exists(QUEUE, WAITERS)).isZero();
    }

    @Test
    void aWaiterEntryWithoutAUsableLeaseOrDeadline_countsAsDead() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1");
        enqueue("odd:1", 60_000, "0:1");
        enqueueDead("nodeadline:1");
        redis.commands().hset(WAITERS, "nodeadline:1", "7000:1.1"); // an entry without its deadline
        enqueue("live:2", 60_000, "7000:1");
        release("holder:1");
        assertThat(r.hgetall(KEYS.key())).containsOnlyKeys("live:2");
        assertThat(r.exists(QUEUE, WAITERS)).isZero();
    }

    /**
     * acquire-all.lua takes every lock or none: a busy lock (here the third) leaves none of them
     * taken, and a lock freed that way by a barging take goes to its live waiter, as at a release;
     * all free, each lock is taken with its own token, in order.
     */
    @Test
    void acquireAll_takesEveryLockOrNone() {
        RedisCommands<String, String> r = redis.commands();
        LockKeys a = LockKeys.of("holdfast:", "all-a");
        LockKeys b = LockKeys.of("holdfast:", "all-b");
        LockKeys c = LockKeys.of("holdfast:", "all-c");
        r.hset(c.key(), "other:1", "1");
        r.pexpire(c.key(), 60_000);
        // a free lock with a live waiter: the barging take gets it, then gives it to the waiter
        r.zadd(QueuedHashKind.queue(b), 1, "waiter:1");
        r.hset(QueuedHashKind.waiters(b), "waiter:1", (serverMillis() + 60_000) + "|7000:1.1");

        List<Object> busy = acquireAll("barge", List.of(a, b, c), "me:1", "me:2", "me:3");
        assertThat(busy).as("busy (acquire.lua's reply), then the busy lock's index").hasSize(5)
                .startsWith(0L).endsWith(3L);
        assertThat(r.exists(a.key())).as("given back").isZero();
        assertThat(r.hgetall(b.key())).as("given back to its waiter").containsOnlyKeys("waiter:1");
        assertThat(r.hgetall(c.key())).containsOnlyKeys("other:1");

        r.del(b.key(), c.key());
        List<Object> taken = acquireAll("fair", List.of(a, b, c), "me:1", "me:2", "me:3");
        assertThat(taken).hasSize(4).startsWith(1L);
        assertThat((Long) taken.get(2)).isGreaterThan((Long) taken.get(1));
        assertThat((Long) taken.get(3)).isGreaterThan((Long) taken.get(2));
        for (LockKeys k : List.of(a, b, c)) {
            assertThat(r.hgetall(k.key())).as(k.name()).hasSize(1);
            assertThat(r.pttl(k.key())).as(k.name()).isBetween(1L, 30_000L);
        }
        assertThat(acquireAll("fair", List.of(a, b), "me:1", "me:2")).as("run twice: found and granted again")
                .hasSize(3).startsWith(1L);
    }

    /**
     * A key of another type among the locks raises an error inside the script; Redis keeps what a
     * script wrote before an error, so acquire-all.lua catches it: the locks before it are given
     * back in the same call, and the error names the lock.
     */
    @Test
    void acquireAll_aKeyOfAnotherType_failsNamingItsLock_andTakesNothing() {
        RedisCommands<String, String> r = redis.commands();
        LockKeys a = LockKeys.of("holdfast:", "type-a");
        LockKeys b = LockKeys.of("holdfast:", "type-b");
        r.set(b.key(), "not a lock");
        assertThatThrownBy(() -> acquireAll("barge", List.of(a, b), "me:1", "me:2"))
                .hasMessageContaining("WRONGTYPE").hasMessageContaining("[lock 2]");
        assertThat(r.exists(a.key())).isZero();
        r.del(b.key());
        r.hset(b.key(), "somebody", "else's data");
        assertThatThrownBy(() -> acquireAll("barge", List.of(a, b), "me:1", "me:2"))
                .hasMessageContaining("not a Holdfast lock").hasMessageContaining("[lock 2]");
        assertThat(r.exists(a.key())).isZero();
    }

    /**
     * release-all.lua releases each lock's last level as release.lua does (a lock with a live waiter
     * goes to it), tells a lock its holder did not have (-1), and a key of another type fails that
     * lock only (-2 and the error), the others released.
     */
    @Test
    void releaseAll_releasesEachLock_andHandsItOver() {
        RedisCommands<String, String> r = redis.commands();
        LockKeys a = LockKeys.of("holdfast:", "rel-a");
        LockKeys b = LockKeys.of("holdfast:", "rel-b");
        LockKeys c = LockKeys.of("holdfast:", "rel-c");
        LockKeys d = LockKeys.of("holdfast:", "rel-d");
        assertThat(acquireAll("fair", List.of(a, b, c), "me:1", "me:2", "me:3")).startsWith(1L);
        r.zadd(QueuedHashKind.queue(b), 1, "waiter:1");
        r.hset(QueuedHashKind.waiters(b), "waiter:1", (serverMillis() + 60_000) + "|7000:1.1");
        r.set(d.key(), "not a lock");

        List<Object> released = releaseAll(List.of(a, b, c, d), "me:1", "me:2", "someone:else", "me:4");
        assertThat(released.subList(0, 2)).containsExactly(0L, "");
        assertThat(released.get(2)).isEqualTo(0L);
        assertThat((String) released.get(3)).as("handed over").matches("!\\d+\\|1\\.1\\|waiter:1");
        assertThat(released.subList(4, 6)).as("not its hold: nothing changed").containsExactly(-1L, "");
        assertThat(released.get(6)).isEqualTo(-2L);
        assertThat((String) released.get(7)).contains("WRONGTYPE");
        assertThat(r.exists(a.key())).isZero();
        assertThat(r.hgetall(b.key())).containsOnlyKeys("waiter:1");
        assertThat(r.hgetall(c.key())).containsOnlyKeys("me:3");
        assertThat(r.get(d.key())).isEqualTo("not a lock");
    }

    @Test
    void levelsAboveTheFirst_setTheCountTheClientSends_onTheLockKeyAlone_andNeverReviveALostHold() {
        RedisCommands<String, String> r = redis.commands();
        holdBy("holder:1"); // one level, 60 s left
        enqueue("waiter:1", 10_000, "400:1.1");

        assertThat(onLock("reenter.lua", "holder:1", "120000", "reenter", "2")).containsExactly(2L, 2L);
        assertThat(r.pttl(KEYS.key())).as("a longer lease of a nested level extends the hold's").isGreaterThan(60_000L);
        assertThat(onLock("reenter.lua", "holder:1", "1000", "reenter", "3")).containsExactly(2L, 3L);
        assertThat(r.pttl(KEYS.key())).as("a shorter one never cuts it").isGreaterThan(60_000L);
        r.pexpire(KEYS.key(), 5_000);
        assertThat(onLock("reenter.lua", "holder:1", "120000", "reenter-kept", "4")).containsExactly(2L, 4L);
        assertThat(r.pttl(KEYS.key())).as("'kept': the watchdog's lease is left alone").isBetween(1L, 5_000L);
        assertThat(onLock("reenter.lua", "holder:1", "120000", "reenter-kept", "4"))
                .as("run twice (re-sent): the same count, not one more").containsExactly(2L, 4L);
        assertThat(r.hget(KEYS.key(), "holder:1")).isEqualTo("4");

        assertThat(onLock("count-down.lua", "holder:1", "3")).containsExactly(3L, "");
        assertThat(onLock("count-down.lua", "holder:1", "3")).as("run twice: the same count").containsExactly(3L, "");
        assertThat(r.hget(KEYS.key(), "holder:1")).isEqualTo("3");
        assertThatThrownBy(() -> onLock("count-down.lua", "holder:1", "0"))
                .as("the last level is release.lua's, which hands the lock over")
                .hasMessageContaining("keeps at least one level");
        assertThat(r.hget(KEYS.key(), "holder:1")).isEqualTo("3");
        assertThat(queue()).as("a nested level never touches the queue").containsExactly("waiter:1");
        assertThat(waiter("waiter:1")).isEqualTo("400:1.1");

        assertThat(onLock("reenter.lua", "other:1", "120000", "reenter", "2")).as("not its hold").containsExactly(-1L, 0L);
        assertThat(onLock("count-down.lua", "other:1", "1")).as("not its hold").containsExactly(-1L, "");
        r.del(KEYS.key()); // the hold is lost (lease ran out, or force-unlocked)
        assertThat(onLock("reenter.lua", "holder:1", "120000", "reenter", "4")).as("lost").containsExactly(-1L, 0L);
        assertThat(onLock("count-down.lua", "holder:1", "2")).as("lost").containsExactly(-1L, "");
        assertThat(r.exists(KEYS.key())).as("a lost hold stays lost").isZero();
    }

    /** Runs a script of a level above the first, which takes the lock hash alone. */
    private static List<Object> onLock(String script, String... args) {
        return redis.commands().eval(Script.load(QueuedHashKind.class, script).source(), ScriptOutputType.MULTI,
                new String[] {KEYS.key()}, args);
    }

    private static List<Object> releaseAll(List<LockKeys> locks, String... holders) {
        Script all = Script.load(QueuedHashKind.class, "release-all.lua");
        String[] keys = locks.stream().flatMap(k -> java.util.Arrays.stream(QueuedHashKind.keys(k))).toArray(String[]::new);
        return redis.commands().eval(all.source(), ScriptOutputType.MULTI, keys, holders);
    }

    private static List<Object> acquireAll(String policy, List<LockKeys> locks, String... holders) {
        Script all = Script.load(QueuedHashKind.class, "acquire-all.lua");
        String[] keys = locks.stream().flatMap(k -> java.util.Arrays.stream(QueuedHashKind.keys(k))).toArray(String[]::new);
        String[] args = concat(new String[] {"30000", "60000", policy}, holders);
        return redis.commands().eval(all.source(), ScriptOutputType.MULTI, keys, args);
    }

    private static void holdBy(String holder) {
        redis.commands().hset(KEYS.key(), holder, "1");
        redis.commands().pexpire(KEYS.key(), 60_000);
    }

    /** The queued holder ids, head first. */
    private static List<String> queue() {
        return redis.commands().zrange(QUEUE, 0, -1);
    }

    /**
     * The waiter's identity ("<lease>:<acquisition>.<placement>", its entry after the deadline), or
     * null if it has no entry.
     */
    private static String waiter(String holder) {
        String entry = redis.commands().hget(WAITERS, holder);
        return entry == null ? null : entry.substring(entry.indexOf('|') + 1);
    }

    /** The waiter's deadline (the start of its entry, "<deadline>|...") − the server's time, in ms (≤ 0: dead). */
    private static long waiterTtl(String holder) {
        String entry = redis.commands().hget(WAITERS, holder);
        assertThat(entry).as("entry of " + holder).matches("\\d+\\|.+");
        return Long.parseLong(entry.substring(0, entry.indexOf('|'))) - serverMillis();
    }

    private static long serverMillis() {
        List<String> t = redis.commands().time();
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    /** Queues holder at the tail with a waiter entry that lives ttl ms more (≤ 0: dead already). */
    private static void enqueue(String holder, long ttl, String value) {
        enqueueDead(holder);
        redis.commands().hset(WAITERS, holder, (serverMillis() + ttl) + "|" + value);
    }

    /** Queues holder at the tail without a waiter entry (it left or was granted: dead). */
    private static void enqueueDead(String holder) {
        redis.commands().zadd(QUEUE, redis.commands().zcard(QUEUE) + 1, holder);
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
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
