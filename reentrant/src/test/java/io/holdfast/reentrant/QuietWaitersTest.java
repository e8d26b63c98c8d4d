package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.spi.LockKeys;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One waiter per client looks at a busy queued lock on a timer (the poller); the client's other
 * waiters of that lock park quietly (see {@code Waiter}), so the attempts a client makes while its
 * waiters wait do not grow with their number. What must not be lost with that: a lock whose lease
 * runs out without a message is still taken when the poller has left, and a quiet waiter whose
 * place is gone asks the server at once.
 */
@Tag("integration")
class QuietWaitersTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static LockKeys keys(String name) {
        return LockKeys.of("holdfast:", name);
    }

    /** Each waiter's deadline, the start of its entry {@code "<deadline>|<identity>"} (see queue.lua). */
    private static Map<String, Double> deadlines(String name) {
        Map<String, Double> out = new HashMap<>();
        redis.commands().hgetall(QueuedHashKind.waiters(keys(name))).forEach((holder, entry) ->
                out.put(holder, Double.valueOf(entry.substring(0, entry.indexOf('|')))));
        return out;
    }

    /** The identity part of a waiter entry {@code "<deadline>|<identity>"}, or null. */
    private static String identity(String entry) {
        return entry == null ? null : entry.substring(entry.indexOf('|') + 1);
    }

    @Test
    void ofSixWaitersOfOneClient_onlyOneLooksAgainOnATimer() throws Exception {
        // a minute of waiter timeout: no renewal of the places moves their deadlines in this test;
        // every waiter parks at most 5 s on a timer (Acquisition.MAX_PARK_MILLIS): wait for two of them
        assertThat(waitersThatLookedAgain("six", 6, Duration.ofSeconds(60), 9_000))
                .as("waiters that attempted again in about 10 s (their deadlines moved)").isEqualTo(1);
    }

    /**
     * A quiet park's backstop (30 s, Acquisition.QUIET_PARK_MILLIS) acts only when the client's
     * polling of the lock has stalled: past it, the quiet waiters still make no attempt while the
     * poller looks on its timer. (Before, every quiet waiter attempted every 30 s: at 10,000 waiters
     * in bench scale-waiters, most of the attempts made while the queue drained.)
     */
    @Test
    void pastTheBackstop_quietWaitersStillMakeNoAttempt_whileThePollerLooks() throws Exception {
        // two minutes of waiter timeout: the watchdog renews the places only past half of it, so in
        // the 40 s of this test only attempts move the deadlines; the poller looks at least every
        // 5 s: wait until it has looked 36 s past the first reading, past the quiet waiters' first
        // backstop (30 s after they parked)
        assertThat(waitersThatLookedAgain("backstop", 3, Duration.ofSeconds(120), 36_000))
                .as("waiters that attempted again in about 36 s (their deadlines moved)").isEqualTo(1);
    }

    /**
     * {@code count} waiters of one client wait on lock {@code name} (held by another client), with
     * waiter timeout {@code waiterTimeout}, until one of them has moved its deadline
     * {@code movedMillis} past the first reading (only attempts move it, if the timeout is long
     * enough that no renewal does meanwhile); returns how many moved theirs by more than a second.
     */
    private static long waitersThatLookedAgain(String name, int count, Duration waiterTimeout, long movedMillis)
            throws Exception {
        try (Holdfast holder = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build());
                Holdfast waiting = Holdfast.connect(HoldfastOptions.builder(redis.uri())
                        .fairWaiterTimeout(waiterTimeout).build())) {
            RLock held = holder.getLock(name);
            held.lock();
            RLock lock = waiting.getLock(name);
            List<CompletableFuture<Void>> waiters = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                waiters.add(CompletableFuture.runAsync(() -> {
                    lock.lock();
                    lock.unlock();
                }, r -> new Thread(r).start()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> deadlines(name).size() == count);
            Map<String, Double> first = deadlines(name);
            await().atMost(Duration.ofMillis(movedMillis + 25_000)).pollInterval(Duration.ofMillis(100))
                    .until(() -> deadlines(name).entrySet().stream()
                            .anyMatch(e -> e.getValue() >= first.get(e.getKey()) + movedMillis));
            long lookedAgain = deadlines(name).entrySet().stream()
                    .filter(e -> e.getValue() > first.get(e.getKey()) + 1_000).count();
            held.unlock();
            CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            return lookedAgain;
        }
    }

    @Test
    void whenThePollerGivesUp_theNextWaiterTakesALockWhoseLeaseRanOut() throws Exception {
        try (Holdfast holder = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build());
                Holdfast waiting = Holdfast.connect(HoldfastOptions.builder(redis.uri())
                        .fairWaiterTimeout(Duration.ofSeconds(60)).build())) {
            // a 3 s lease nobody releases: its end publishes nothing
            holder.getLock("expiring").lock(3, TimeUnit.SECONDS);
            RLock lock = waiting.getLock("expiring");
            CompletableFuture<Boolean> poller = CompletableFuture.supplyAsync(() -> {
                try {
                    return lock.tryLock(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> new Thread(r).start());
            await().atMost(Duration.ofSeconds(10)).until(() -> deadlines("expiring").size() == 1);
            CompletableFuture<Long> quiet = CompletableFuture.supplyAsync(() -> {
                lock.lock();
                try {
                    return lock.getFencingToken();
                } finally {
                    lock.unlock();
                }
            }, r -> new Thread(r).start());
            assertThat(poller.get(10, TimeUnit.SECONDS)).as("the first waiter gave up").isFalse();
            // parked quietly (30 s) while the first one polled; made the poller when it left, it looks
            // at the lock within its timed park (the lease's rest, at most 5 s)
            assertThat(quiet.get(8, TimeUnit.SECONDS)).as("the second waiter's token").isPositive();
        }
    }

    @Test
    void aQuietWaiterWhosePlaceIsGone_asksTheServerAtOnce() throws Exception {
        // a 1.5 s waiter timeout: places renewed every half second or so
        try (Holdfast holder = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build());
                Holdfast waiting = Holdfast.connect(HoldfastOptions.builder(redis.uri())
                        .fairWaiterTimeout(Duration.ofMillis(1_500)).build())) {
            RLock held = holder.getLock("gone");
            held.lock();
            RLock lock = waiting.getLock("gone");
            List<CompletableFuture<Void>> waiters = new ArrayList<>();
            waiters.add(CompletableFuture.runAsync(() -> {
                lock.lock();
                lock.unlock();
            }, r -> new Thread(r).start()));
            await().atMost(Duration.ofSeconds(10)).until(() -> deadlines("gone").size() == 1);
            String pollerId = deadlines("gone").keySet().iterator().next();
            waiters.add(CompletableFuture.runAsync(() -> {
                lock.lock();
                lock.unlock();
            }, r -> new Thread(r).start()));
            await().atMost(Duration.ofSeconds(10)).until(() -> deadlines("gone").size() == 2);
            String quietId = deadlines("gone").keySet().stream().filter(id -> !id.equals(pollerId)).findFirst().orElseThrow();
            String placesKey = QueuedHashKind.waiters(keys("gone"));
            String placement = identity(redis.commands().hget(placesKey, quietId));

            // its place vanishes (as when a hand-over granted it and the message was lost); the
            // renewal finds it gone, and the waiter queues again at once, not after its quiet park (30 s)
            redis.commands().hdel(placesKey, quietId);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                String again = identity(redis.commands().hget(placesKey, quietId));
                return again != null && !again.equals(placement);
            });

            held.unlock();
            CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
    }
}
