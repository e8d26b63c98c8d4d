package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.LeaseState;
import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lock contract for the read lock of {@link Holdfast#getReadWriteLock}: the write lock of the
 * same name is what keeps readers waiting. The exclusive-only tests of {@link LockContract} have
 * their read-lock counterparts here.
 */
@Tag("integration")
class ReadLockContractTest extends RLockContract {

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getReadWriteLock(name).readLock();
    }

    @Override
    protected RLock blockerOf(Holdfast client, String name) {
        return client.getReadWriteLock(name).writeLock();
    }

    @Test
    void readers_shareTheLock_acrossClients() throws Exception {
        RLock fromA = lockOf(a, "shared");
        fromA.lock();
        OwnerThread other = thread("second-reader");
        assertThat(other.call(() -> lockOf(b, "shared").tryLock())).isTrue();
        assertThat(fromA.isHeldByCurrentThread()).isTrue();
        assertThat(other.call(() -> lockOf(b, "shared").isHeldByCurrentThread())).isTrue();
        fromA.unlock();
        assertThat(lockOf(b, "shared").isLocked()).isTrue();
        other.run(() -> lockOf(b, "shared").unlock());
        assertThat(fromA.isLocked()).isFalse();
    }

    @Test
    void watchdog_keepsAReadHoldAliveFarPastItsLease() {
        RLock lock = lockOf(a, "renewed");
        lock.lock();
        RLock writerFromB = blockerOf(b, "renewed");
        RLock readFromB = lockOf(b, "renewed");
        // three leases long, no writer may get in and the read hold must never vanish
        await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(5))
                .until(() -> !writerFromB.tryLock() && readFromB.remainTimeToLive() > 0);
        assertThat(lock.currentLease()).get().extracting(l -> l.state()).isEqualTo(LeaseState.ACTIVE);
        lock.unlock();
        assertThat(writerFromB.tryLock()).isTrue();
    }
}
