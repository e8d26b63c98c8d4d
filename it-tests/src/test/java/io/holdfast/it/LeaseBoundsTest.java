package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 12, item 7: leases are bounded, waits cannot overflow, nested levels keep the hold's lease. */
@Tag("integration")
class LeaseBoundsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private Holdfast client;

    @BeforeEach
    void connect() {
        client = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build());
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void lock_forFourHundredYears_isRefusedNamingTheMaximum_insteadOfALeaseOfZero() {
        for (RLock lock : locks("long")) {
            assertThatThrownBy(() -> lock.lock(400 * 365, TimeUnit.DAYS)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximum lease of " + RLock.MAX_LEASE_MILLIS + " ms");
            assertThatThrownBy(() -> lock.tryLock(0, 400 * 365, TimeUnit.DAYS)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximum");
            assertThatThrownBy(() -> lock.lockAsync(1, 400 * 365, TimeUnit.DAYS)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(redis.commands().keys("holdfast:{*")).as("nothing written for a lock").isEmpty();
    }

    @Test
    void lock_forLongMaxValueMillis_isRefusedAtTheApi_notARawServerError() {
        for (RLock lock : locks("max")) {
            assertThatThrownBy(() -> lock.lock(Long.MAX_VALUE, TimeUnit.MILLISECONDS))
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum lease");
        }
        assertThat(redis.commands().keys("holdfast:{*")).as("nothing written for a lock").isEmpty();
    }

    @Test
    void lock_forOneNanosecond_isRefusedNamingTheMinimum_insteadOfLostAtOnce() throws Exception {
        for (RLock lock : locks("short")) {
            assertThatThrownBy(() -> lock.lock(1, TimeUnit.NANOSECONDS)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minimum lease of " + RLock.MIN_LEASE_MILLIS + " ms");
            assertThatThrownBy(() -> lock.lockInterruptibly(99, TimeUnit.MILLISECONDS)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> lock.tryLock(1, 1, TimeUnit.MILLISECONDS)).isInstanceOf(IllegalArgumentException.class);
            lock.lock(RLock.MIN_LEASE_MILLIS, TimeUnit.MILLISECONDS);
            try {
                lock.unlock();
            } catch (LockLostException ranOut) {
                // accepted; on a loaded machine a 100 ms lease may run out before the next line
            }
            lock.lock(RLock.MAX_LEASE_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(lock.currentLease().orElseThrow().remaining(TimeUnit.DAYS)).isBetween(364L, 365L);
            lock.unlock();
        }
        assertThatThrownBy(() -> HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    @Test
    void tryLock_withALongMaxValueWait_waitsWithoutLimit_insteadOfOverflowingToNoWait() throws Exception {
        RLock lock = client.getLock("forever");
        assertThat(lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS)).isTrue();
        try (OwnerThread other = new OwnerThread("waiter")) {
            Future<Boolean> waiting = other.submit(() -> lock.tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> !waiting.isDone()); // an overflowed deadline would have given up at once
            lock.unlock();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
            other.run(lock::unlock);
            assertThat(lock.tryLock(Long.MAX_VALUE, 1, TimeUnit.SECONDS)).isTrue();
            lock.unlock();
        }
    }

    /**
     * Needs the change of {@code AcquisitionEngine.reenter} described in the report of issue 12,
     * item 7 (a nested level without a lease keeps the hold's lease); enable it with that change.
     */
    @Test
    void nestedLockWithoutLease_insideAnExplicitLeaseHold_keepsTheExplicitLease_insteadOfStretchingIt() {
        for (RLock lock : locks("nested")) {
            lock.lock(2, TimeUnit.SECONDS);
            Lease outer = lock.currentLease().orElseThrow();
            long validUntil = outer.validUntilNanos();
            lock.lock();
            assertThat(lock.getHoldCount()).isEqualTo(2);
            Lease nested = lock.currentLease().orElseThrow();
            assertThat(nested.isRenewed()).as("an explicit lease stays unrenewed").isFalse();
            assertThat(nested.validUntilNanos()).as("the client's deadline is the outer lease's").isEqualTo(validUntil);
            assertThat(lock.remainTimeToLive()).as("the server's TTL was not stretched to the watchdog lease")
                    .isLessThanOrEqualTo(2_000);
            lock.unlock();
            lock.unlock();
        }
    }

    private RLock[] locks(String name) {
        return new RLock[] {client.getLock(name), client.getFairLock(name + ":fair"),
                client.getReadWriteLock(name + ":rw").writeLock(), client.getReadWriteLock(name + ":rw").readLock()};
    }
}
