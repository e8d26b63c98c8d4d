package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.LeaseState;
import io.holdfast.RLock;
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

    @Test
    void manyThreads_neverHoldItTogether() throws Exception {
        int threads = 6;
        int rounds = 30;
        AtomicBoolean inside = new AtomicBoolean();
        AtomicReference<String> overlap = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Holdfast client = t % 2 == 0 ? a : b;
            OwnerThread owner = thread("racer" + t);
            all.add(CompletableFuture.runAsync(() -> owner.run(() -> {
                go.await();
                RLock l = lockOf(client, "race");
                for (int i = 0; i < rounds; i++) {
                    l.lock();
                    try {
                        if (!inside.compareAndSet(false, true)) {
                            overlap.set("two holders at once");
                        }
                        inside.set(false);
                    } finally {
                        l.unlock();
                    }
                }
            })));
        }
        go.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(overlap.get()).isNull();
        assertThat(lockOf(a, "race").isLocked()).isFalse();
    }
}
