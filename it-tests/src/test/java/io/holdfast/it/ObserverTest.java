package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastObserver;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockUpgradeException;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16: the {@link HoldfastObserver} hook is told of acquisitions (each outcome), releases,
 * renewals, losses and hand-overs, off the I/O threads, and an observer that throws never reaches
 * the lock.
 */
@Tag("integration")
class ObserverTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    /** One event as the observer saw it, with the thread it came on. */
    record Event(String what, String lock, String kind, String detail, long nanos, String thread) { }

    /** Records every event. */
    static final class Recorder implements HoldfastObserver {
        final List<Event> events = new CopyOnWriteArrayList<>();

        private void add(String what, String lock, String kind, Object detail, long nanos) {
            events.add(new Event(what, lock, kind, String.valueOf(detail), nanos, Thread.currentThread().getName()));
        }

        @Override
        public void acquisitionStarted(String lockName, String kind) {
            add("started", lockName, kind, null, 0);
        }

        @Override
        public void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
            add("finished", lockName, kind, outcome, waitNanos);
        }

        @Override
        public void released(String lockName, String kind, long heldNanos) {
            add("released", lockName, kind, null, heldNanos);
        }

        @Override
        public void renewed(int renewed, int gone, long roundTripNanos) {
            add("renewed", null, null, renewed + "/" + gone, roundTripNanos);
        }

        @Override
        public void renewalFailed(int leases, Throwable cause) {
            add("renewalFailed", null, null, leases, 0);
        }

        @Override
        public void leaseLost(String lockName, String kind, LossCause cause) {
            add("lost", lockName, kind, cause, 0);
        }

        @Override
        public void handOverReceived(String lockName, String kind) {
            add("handOver", lockName, kind, null, 0);
        }

        List<Event> of(String what, String lock) {
            return events.stream().filter(e -> e.what().equals(what) && (lock == null || lock.equals(e.lock()))).toList();
        }
    }

    private final Recorder seen = new Recorder();
    private Holdfast client;
    private Holdfast other;

    @BeforeEach
    void connect() {
        client = Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofMillis(600))
                .observer(seen).build());
        other = Holdfast.connect(redis.uri());
    }

    @AfterEach
    void close() {
        client.close();
        other.close();
    }

    @Test
    void lockAndUnlock_reportsStartAcquiredAndRelease_withHoldTime_offTheIoThreads() {
        RLock lock = client.getLock("plain");
        lock.lock();
        lock.lock(); // a re-entry: no event
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("renewed", null).size() >= 1);
        lock.unlock();
        lock.unlock();

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("released", "plain").size() == 1);
        assertThat(seen.of("started", "plain")).hasSize(1).first().extracting(Event::kind).isEqualTo("exclusive");
        assertThat(seen.of("finished", "plain")).singleElement().extracting(Event::detail).isEqualTo("ACQUIRED");
        assertThat(seen.of("released", "plain").get(0).nanos())
                .as("held across at least one renewal, which comes after half the lease")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        Event renewal = seen.of("renewed", null).get(0);
        assertThat(renewal.detail()).isEqualTo("1/0");
        assertThat(renewal.nanos()).isPositive();
        assertThat(seen.events).allSatisfy(e -> assertThat(e.thread()).startsWith("holdfast-callbacks-"));
        List<String> order = seen.events.stream().filter(e -> "plain".equals(e.lock())).map(Event::what).toList();
        assertThat(order).containsExactly("started", "finished", "released");
    }

    @Test
    void tryLockOnABusyLock_reportsTimedOut_withTheWaitTime() throws InterruptedException {
        other.getLock("busy").lock();
        assertThat(client.getLock("busy").tryLock(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(client.getLock("busy").tryLock()).isFalse();

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("finished", "busy").size() == 2);
        List<Event> finished = seen.of("finished", "busy");
        assertThat(finished).extracting(Event::detail).containsExactly("TIMED_OUT", "TIMED_OUT");
        assertThat(finished.get(0).nanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void interruptedWaiter_reportsInterrupted() throws Exception {
        other.getLock("interrupted").lock();
        Thread waiter = new Thread(() -> {
            try {
                client.getLock("interrupted").lockInterruptibly();
            } catch (InterruptedException expected) {
                // the outcome under test
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("started", "interrupted").size() == 1);
        waiter.interrupt();
        waiter.join(5_000);

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("finished", "interrupted").size() == 1);
        assertThat(seen.of("finished", "interrupted").get(0).detail()).isEqualTo("INTERRUPTED");
    }

    @Test
    void refusedUpgrade_reportsFailed_withTheKind() {
        RReadWriteLock rw = client.getReadWriteLock("upgrade");
        rw.readLock().lock();
        assertThatThrownBy(() -> rw.writeLock().lock()).isInstanceOf(LockUpgradeException.class);
        rw.readLock().unlock();

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("finished", "upgrade").size() == 2);
        assertThat(seen.of("finished", "upgrade")).extracting(e -> e.kind() + " " + e.detail())
                .containsExactly("read ACQUIRED", "write FAILED");
    }

    @Test
    void fairWaiter_handedTheLockByAnotherClient_reportsTheHandOver() throws Exception {
        RLock held = other.getFairLock("queue");
        held.lock();
        Thread waiter = new Thread(() -> {
            RLock lock = client.getFairLock("queue");
            lock.lock();
            lock.unlock();
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("started", "queue").size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.subscribedChannels() == 1);
        held.unlock();
        waiter.join(10_000);

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("released", "queue").size() == 1);
        assertThat(seen.of("handOver", "queue")).singleElement().extracting(Event::kind).isEqualTo("fair");
        assertThat(seen.of("finished", "queue")).singleElement().extracting(Event::detail).isEqualTo("ACQUIRED");
    }

    @Test
    void holdDeletedOnTheServer_reportsGoneFromServer_andForceUnlock_reportsForceUnlocked() {
        RLock deleted = client.getLock("deleted");
        deleted.lock();
        redis.commands().del("holdfast:{deleted}");
        RLock forced = client.getLock("forced");
        forced.lock();
        assertThat(other.getLock("forced").forceUnlock()).isTrue();
        // the force-unlock of another client is seen by this one at its next renewal
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("lost", null).size() == 2);

        assertThat(seen.of("lost", "deleted")).singleElement().extracting(Event::detail).isEqualTo("GONE_FROM_SERVER");
        assertThat(seen.of("lost", "forced")).singleElement().extracting(Event::detail).isEqualTo("GONE_FROM_SERVER");
        RLock own = client.getLock("own");
        own.lock();
        assertThat(own.forceUnlock()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("lost", "own").size() == 1);
        assertThat(seen.of("lost", "own").get(0).detail()).isEqualTo("FORCE_UNLOCKED");
        assertThat(seen.of("released", null)).isEmpty();
    }

    @Test
    void ownerThreadEndedHolding_reportsOwnerEnded() throws InterruptedException {
        Thread owner = new Thread(() -> client.getLock("orphan").lock());
        owner.start();
        owner.join(5_000);

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.of("lost", "orphan").size() == 1);
        assertThat(seen.of("lost", "orphan").get(0).detail()).isEqualTo("OWNER_ENDED");
    }

    @Test
    void redisPausedLongerThanTheLease_reportsFailedRenewals_andNotRenewed() {
        Recorder paused = new Recorder();
        try (Holdfast shortTimeouts = Holdfast.connect(HoldfastOptions.builder(redis.uri())
                .watchdogLease(Duration.ofMillis(600)).commandTimeout(Duration.ofMillis(200)).observer(paused).build())) {
            shortTimeouts.getLock("paused").lock();
            redis.server().pause();
            try {
                // a renewal times out after 200 ms; none succeeds before the 600 ms lease runs out
                await().atMost(Duration.ofSeconds(5)).until(() -> paused.of("lost", "paused").size() == 1);
                // the renewal on the wire times out whether before or after the loss was reported
                await().atMost(Duration.ofSeconds(5)).until(() -> !paused.of("renewalFailed", null).isEmpty());
            } finally {
                redis.server().resume();
            }
            assertThat(paused.of("lost", "paused").get(0).detail()).isEqualTo("NOT_RENEWED");
            assertThat(paused.of("renewalFailed", null)).allSatisfy(e -> assertThat(e.detail()).isEqualTo("1"));
        }
    }

    @Test
    void observerThatThrows_neverReachesTheLock() {
        AtomicInteger calls = new AtomicInteger();
        HoldfastObserver failing = new HoldfastObserver() {
            @Override
            public void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
                calls.incrementAndGet();
                throw new IllegalStateException("observer failure under test");
            }
        };
        try (Holdfast throwing = Holdfast.connect(HoldfastOptions.builder(redis.uri()).observer(failing).build())) {
            RLock lock = throwing.getLock("throwing");
            for (int i = 0; i < 3; i++) {
                lock.lock();
                lock.unlock();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 3);
            assertThat(lock.isLocked()).isFalse();
        }
    }
}
