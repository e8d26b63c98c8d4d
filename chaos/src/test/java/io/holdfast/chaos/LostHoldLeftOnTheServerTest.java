package io.holdfast.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.Lease;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.holdfast.chaos.proxy.Direction;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found by the fault harness on a Cluster ({@code ./holdfast chaos --cluster --minutes 5 --seed
 * 20261230}, see {@code chaos/RESULTS-cluster.md}): a read hold's renewal reached the server, which
 * extended the lease, but its reply came after the hold's deadline, so the client counted the hold
 * lost ("not renewed in time"). {@code unlock()} then threw {@code LockLostException} and forgot the
 * hold without telling the server, which kept it for one more lease: other clients waited that long
 * for a free lock, and the same thread's next write acquisition was refused with
 * {@code LockUpgradeException}, an upgrade of a read lock it no longer held. The last unlock of a lost
 * hold now also gives up whatever the server may still keep of it (an undo, retried until done; the
 * owner's next acquisition of the lock waits for it).
 *
 * <p>Before the fix: {@code writeLock().tryLock(5 s)} below returns false at once (refused as an upgrade).
 */
@Tag("integration")
class LostHoldLeftOnTheServerTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final Duration LEASE = Duration.ofMillis(1000);

    private ProxiedClients clients;
    private Holdfast h;

    @BeforeEach
    void start() {
        clients = new ProxiedClients(redis);
        h = clients.throughProxy(o -> o.watchdogLease(LEASE).commandTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        clients.close();
    }

    @Test
    void aHoldCountedLostWhoseRenewalReachedTheServer_isGivenUpAtUnlock_notLeftToRefuseTheOwnersNextWrite()
            throws Exception {
        String name = "lost-hold-left-on-the-server";
        RReadWriteLock lock = h.getReadWriteLock(name);
        lock.writeLock().lock(); // loads the scripts
        lock.writeLock().unlock();

        lock.readLock().lock();
        Lease lease = lock.readLock().currentLease().orElseThrow();
        long first = lease.validUntilNanos();
        await().atMost(Duration.ofSeconds(5)).until(() -> lease.validUntilNanos() > first); // one renewal: its script is loaded
        // every reply from now on arrives 1.5 s late: the renewal (sent past half the lease) extends the
        // lease on the server, but the client learns it only after the hold's deadline
        clients.proxy.latency(Direction.TO_CLIENT, 1500, 1500, 1);
        LockLostException lost = lease.whenLost().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(lost).hasMessageContaining(name);
        assertThat(redis.server().commands().exists("holdfast:{" + name + "}"))
                .as("the server still keeps the hold: the renewal reached it").isEqualTo(1L);
        clients.proxy.clearFaults();
        assertThatThrownBy(() -> lock.readLock().unlock()).isInstanceOf(LockLostException.class);

        RLock write = lock.writeLock();
        assertThat(write.tryLock(5, TimeUnit.SECONDS)).as("the same thread's write lock after its read hold was lost")
                .isTrue();
        write.unlock();
    }
}
