package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.LeaseState;
import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The contract of an exclusive lock: everything in {@link RLockContract}, plus the tests that need
 * the lock itself to exclude every other holder. Run for every exclusive lock kind.
 */
abstract class LockContract extends RLockContract {

    @Test
    void watchdog_keepsTheHoldAliveFarPastItsLease() {
        RLock lock = lockOf(a, "renewed");
        lock.lock();
        RLock fromB = lockOf(b, "renewed");
        // three leases long, the other client must never get in and the key must never vanish
        await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(5))
                .until(() -> !fromB.tryLock() && fromB.remainTimeToLive() > 0);
        assertThat(lock.currentLease()).get().extracting(l -> l.state()).isEqualTo(LeaseState.ACTIVE);
        lock.unlock();
    }

    /**
     * Eight threads over three clients take turns on the lock; inside, a non-atomic read and write
     * of a counter in Redis (two round trips wide, so an acquisition that believes it holds the lock
     * when it does not is caught either by the overlap flag or by a lost update).
     */
    @Test
    void manyThreads_neverHoldItTogether() throws Exception {
        int threads = 8;
        int rounds = 150;
        Holdfast c = client(LEASE);
        List<Holdfast> clients = List.of(a, b, c);
        String counter = key("race-counter");
        RedisServer counterServer = serverOf(counter);
        AtomicBoolean inside = new AtomicBoolean();
        AtomicReference<String> overlap = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Holdfast client = clients.get(t % clients.size());
            OwnerThread owner = thread("racer" + t);
            // each racer's whole loop is one call: its deadline is the test's, not a single call's 10 s
            // (1,200 turns on a Redis 6.2 Cluster took more than 10 s on CI: 7 s here, where 7.x takes 2 s)
            all.add(CompletableFuture.runAsync(() -> owner.run(Duration.ofSeconds(150), () -> {
                go.await();
                RLock l = lockOf(client, "race");
                for (int i = 0; i < rounds; i++) {
                    l.lock();
                    try {
                        if (!inside.compareAndSet(false, true)) {
                            overlap.set("two holders at once");
                        }
                        String v = counterServer.commands().get(counter);
                        counterServer.commands().set(counter, Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
                        inside.set(false);
                    } finally {
                        l.unlock();
                    }
                }
            })));
        }
        go.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(160, TimeUnit.SECONDS);
        assertThat(overlap.get()).isNull();
        assertThat(counterServer.commands().get(counter)).isEqualTo(Integer.toString(threads * rounds));
        assertThat(lockOf(a, "race").isLocked()).isFalse();
    }

    @Test
    void async_ownerTokens_areNotThreads() throws Exception {
        RLock lock = lockOf(a, "async");
        io.holdfast.Lease lease = lock.lockAsync(7, -1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(lease.isValid()).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThat(lock.tryLock()).isFalse(); // the thread is not owner 7
        assertThat(lock.tryLockAsync(8, 100, -1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS)).isEmpty();
        // owner 7 re-enters and is released from another thread
        lock.lockAsync(7, -1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        OwnerThread other = thread("releaser");
        other.call(() -> lockOf(a, "async").unlockAsync(7).get(5, TimeUnit.SECONDS));
        assertThat(lock.isLocked()).isTrue();
        other.call(() -> lockOf(a, "async").unlockAsync(7).get(5, TimeUnit.SECONDS));
        assertThat(lock.isLocked()).isFalse();
        assertThatThrownBy(() -> lock.unlockAsync(7).join()).hasCauseInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void async_cancellingTheFuture_leavesNothingHeld() throws Exception {
        RLock held = lockOf(a, "async-cancel");
        held.lock();
        CompletableFuture<io.holdfast.Lease> waiting = lockOf(b, "async-cancel").lockAsync(9, -1, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.subscribedChannels() == 1);
        waiting.cancel(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.subscribedChannels() == 0);
        held.unlock();
        assertThat(b.holdCount()).isZero();
        assertThat(held.isLocked()).isFalse();
    }

    @Test
    void async_twoFreshAcquisitionsOfOneOwnerAtOnce_mustNotBothBeGranted() throws Exception {
        RLock held = lockOf(a, "async-twice");
        held.lock();
        RLock lock = lockOf(b, "async-twice");
        CompletableFuture<io.holdfast.Lease> first = lock.lockAsync(5, -1, TimeUnit.SECONDS);
        CompletableFuture<io.holdfast.Lease> second = lock.lockAsync(5, -1, TimeUnit.SECONDS);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already acquiring");
        held.unlock();
        first.get(5, TimeUnit.SECONDS);
        assertThat(lock.lockAsync(5, -1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS)).as("a re-entry, once granted").isNotNull();
        lock.unlockAsync(5).get(5, TimeUnit.SECONDS);
        assertThat(lock.isLocked()).isTrue();
        lock.unlockAsync(5).get(5, TimeUnit.SECONDS);
        assertThat(lock.isLocked()).isFalse();
    }
}
