package io.holdfast.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review of holdfast-quorum (branch review-quorum): each test states a promise of the RLock contract
 * or of the module's Javadoc and failed on main (commit c1b60c6) where the promise was broken; ported to
 * the refactored module (the registry replaced the per-name lock objects). Three servers are enough
 * (a quorum of 2 of 3; the multi-lock uses servers 0 and 1).
 */
@Tag("integration")
class QuorumReviewTest {

    @RegisterExtension
    static final FiveMasters masters = new FiveMasters(3);

    private static final Duration LEASE = Duration.ofMillis(900);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // best effort
            }
        }
    }

    private QuorumHoldfast quorum() {
        QuorumHoldfast q = QuorumHoldfast.builder(masters.uris()).watchdogLease(LEASE).build();
        closeables.add(q);
        return q;
    }

    private Holdfast client(String uri) {
        Holdfast h = Holdfast.connect(HoldfastOptions.builder(uri).watchdogLease(LEASE).build());
        closeables.add(h);
        return h;
    }

    /**
     * RLock.tryLockAsync: "Cancelling the returned future stops waiting and leaves nothing held". A
     * re-entry's Pending has no acquisition, so its cancel() gives nothing back (GroupLock:89-92) while
     * hold.enter() already counted the level: the level leaks, the owner's only unlock leaves the
     * lock held, and the watchdogs renew it for ever.
     */
    @Test
    void cancellingAReentrantTryLockAsync_leavesNoLevelBehind() throws Exception {
        QuorumHoldfast q = quorum();
        QuorumHoldfast other = quorum();
        RLock lock = q.getQuorumLock("reentry-cancel");
        long owner = 4242;
        lock.lockAsync(owner, -1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        boolean cancelled = false;
        for (int i = 0; i < 500 && !cancelled; i++) {
            CompletableFuture<Optional<Lease>> again = lock.tryLockAsync(owner, 0, -1, TimeUnit.MILLISECONDS);
            cancelled = again.cancel(true);
            if (!cancelled) {
                lock.unlockAsync(owner).get(5, TimeUnit.SECONDS); // it was granted first: give that level back
            }
        }
        assertThat(cancelled).as("a re-entry future was cancelled before it completed").isTrue();
        lock.unlockAsync(owner).get(5, TimeUnit.SECONDS); // the one level the owner holds
        assertThat(other.getQuorumLock("reentry-cancel").tryLock())
                .as("after its only level was unlocked, the lock is free (the cancelled re-entry took none)").isTrue();
    }

    /**
     * QuorumHoldfast.close(): "holds still held expire with their leases". For a client built with
     * over(...), close() leaves the masters' clients open, whose watchdogs keep renewing the member
     * holds; the holds' owner can no longer be found (its GroupLock is gone with the closed client),
     * so the lock stays held for as long as the master clients live.
     */
    @Test
    void closingAQuorumClientBuiltOverOpenClients_letsItsHoldsExpire() throws Exception {
        List<Holdfast> clients = new ArrayList<>();
        for (String uri : masters.uris()) {
            clients.add(client(uri));
        }
        QuorumHoldfast q = QuorumHoldfast.over(clients).watchdogLease(LEASE).build();
        closeables.add(q);
        QuorumHoldfast other = quorum();
        q.getQuorumLock("closed-over").lockAsync(7, -1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        q.close();
        await("the closed client's hold expires (renewals: " + clients.stream().mapToInt(Holdfast::renewalCount).sum() + ")")
                .atMost(LEASE.multipliedBy(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> other.getQuorumLock("closed-over").tryLock());
    }

    /**
     * A member release that fails (here: NOPERM on scripts for a moment, standing for any transient
     * error: a timeout, a reset connection) is swallowed by GroupLock.releaseMember (line 244) and
     * never retried; the engine puts that member hold back to ACTIVE (Hold.abortRelease) and its
     * watchdog renews it for ever. The multi-lock's unlock reports "lost", and member A stays held by
     * nobody: every later acquisition of A, alone or in any multi-lock, waits for ever.
     */
    @Test
    void aMemberReleaseThatFailsOnce_doesNotLeaveTheMemberHeldForEver() throws Exception {
        var x = masters.get(0);
        x.commands().aclSetuser("locker", AclSetuserArgs.Builder.on().addPassword("s3cret")
                .allKeys().allChannels().allCommands());
        Holdfast x1 = client("redis://locker:s3cret@127.0.0.1:" + x.port());
        Holdfast y1 = client(masters.get(1).uri());
        Holdfast x2 = client(x.uri());
        RLock both = MultiLock.of(x1.getLock("A"), y1.getLock("B"));
        both.lock();
        x.commands().aclSetuser("locker", AclSetuserArgs.Builder.on().removeCategory(AclCategory.SCRIPTING));
        try {
            both.unlock();
        } catch (RuntimeException e) {
            // main: LockLostException "at unlock only 1 of 2 members still held it"
        } finally {
            x.commands().aclSetuser("locker", AclSetuserArgs.Builder.on().allCommands());
        }
        // give a retry (if any) time to run, then check that A is free
        await("member A is given back (x1 holds " + x1.holdCount() + ", renewals " + x1.renewalCount() + ")")
                .atMost(LEASE.multipliedBy(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> x2.getLock("A").tryLock() && unlocked(x2.getLock("A")));
    }

    /**
     * Resources: every explicit-lease hold schedules its validity check at the end of its lease
     * (GroupHold:81) and nothing cancels it at unlock, so the scheduler keeps one task (and the hold,
     * its lock and member leases) per hold for the whole lease; and getQuorumLock keeps one GroupLock
     * (with N member locks) per name ever asked for (QuorumHoldfast:168), never evicted.
     */
    @Test
    void releasedHolds_andUnusedLockObjects_areNotRetained() throws Exception {
        QuorumHoldfast q = quorum();
        for (int i = 0; i < 50; i++) {
            RLock lock = q.getQuorumLock("short-lived:" + i);
            lock.lock(1, TimeUnit.HOURS);
            lock.unlock();
        }
        java.lang.reflect.Field f = QuorumHoldfast.class.getDeclaredField("scheduler");
        f.setAccessible(true);
        int queued = ((java.util.concurrent.ScheduledThreadPoolExecutor) f.get(q)).getQueue().size();
        java.lang.reflect.Field c = QuorumHoldfast.class.getDeclaredField("ctx");
        c.setAccessible(true);
        int lockObjects = ((GroupContext) c.get(q)).registry.size();
        assertThat(queued).as("scheduled tasks left after 50 released holds (lock objects kept: %d)", lockObjects)
                .isLessThan(50);
        assertThat(lockObjects).as("lock objects kept for names nobody holds").isLessThan(50);
    }

    /**
     * A multi-lock member's answer that is not about availability (here a key of the wrong type) is
     * the error the acquisition fails with, not a RedisUnavailableException "only N of M members
     * answered"; and every member taken is given back.
     */
    @Test
    void aMultiLockMembersError_isNotCalledUnavailable() {
        masters.get(0).commands().set("holdfast:{A}", "not a lock");
        Holdfast x1 = client(masters.get(0).uri());
        Holdfast y1 = client(masters.get(1).uri());
        RLock both = MultiLock.of(x1.getLock("A"), y1.getLock("B"));
        org.assertj.core.api.Assertions.assertThatThrownBy(both::tryLock)
                .isInstanceOf(io.holdfast.WrongKeyTypeException.class);
        assertThat(y1.getLock("B").isLocked()).isFalse();
    }

    /**
     * Review item (issue 15): a quorum client made over(...) one of whose master clients was closed
     * failed every acquisition with "closed", although a majority of masters was up. A closed master
     * client is a master that does not answer: the lock is taken on the others while they are a
     * majority, excludes others as before, and fails as unavailable, naming the closed masters, once
     * they are not.
     */
    @Test
    void aClosedMasterClient_countsAsAMasterThatDoesNotAnswer_notAsAFailureOfTheLock() {
        List<Holdfast> clients = new ArrayList<>();
        for (String uri : masters.uris()) {
            clients.add(client(uri));
        }
        QuorumHoldfast over = QuorumHoldfast.over(clients).watchdogLease(LEASE).build();
        closeables.add(over);
        QuorumHoldfast other = quorum();
        clients.get(0).close();

        RLock lock = over.getQuorumLock("one-closed");
        assertThat(lock.tryLock()).as("2 of 3 masters are a majority").isTrue();
        assertThat(lock.isLocked()).isTrue();
        assertThat(other.getQuorumLock("one-closed").tryLock()).as("still exclusive").isFalse();
        lock.unlock();
        assertThat(other.getQuorumLock("one-closed").tryLock()).as("released on the masters that had it").isTrue();
        other.getQuorumLock("one-closed").unlock();

        clients.get(1).close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> over.getQuorumLock("one-closed").tryLock())
                .isInstanceOf(io.holdfast.RedisUnavailableException.class)
                .hasMessageContaining("master 0: the client of master 0 is closed")
                .hasMessageContaining("master 1: ");
    }

    /**
     * Review item (issue 15): whenLost() after the client's own close. A Holdfast closed under a hold
     * does not report it lost (closing is the holder's doing: no renewal, the lease simply ends, and
     * unlock throws IllegalStateException); the quorum lock does the same, whether it closes its
     * masters' clients (builder) or gives its holds back over clients that stay open (over).
     */
    @Test
    void aHoldOpenAtTheClientsOwnClose_isNotReportedLost_asInCore() {
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        Holdfast core = Holdfast.connect(HoldfastOptions.builder(masters.get(0).uri()).watchdogLease(LEASE)
                .leaseListener((lease, cause) -> told.incrementAndGet()).build());
        closeables.add(core);
        QuorumHoldfast built = QuorumHoldfast.builder(masters.uris()).watchdogLease(LEASE)
                .leaseListener((lease, cause) -> told.incrementAndGet()).build();
        closeables.add(built);
        List<Holdfast> clients = new ArrayList<>();
        for (String uri : masters.uris()) {
            clients.add(client(uri));
        }
        QuorumHoldfast over = QuorumHoldfast.over(clients).watchdogLease(LEASE)
                .leaseListener((lease, cause) -> told.incrementAndGet()).build();
        closeables.add(over);

        RLock coreLock = core.getLock("close-core");
        RLock builtLock = built.getQuorumLock("close-built");
        RLock overLock = over.getQuorumLock("close-over");
        coreLock.lock();
        builtLock.lock();
        overLock.lock();
        Lease coreLease = coreLock.currentLease().orElseThrow();
        Lease builtLease = builtLock.currentLease().orElseThrow();
        Lease overLease = overLock.currentLease().orElseThrow();
        core.close();
        built.close();
        over.close();

        assertThat(overLease.state()).as("given back at close").isEqualTo(io.holdfast.LeaseState.RELEASED);
        await().atMost(LEASE.multipliedBy(4)).until(() -> !coreLease.isValid() && !builtLease.isValid() && !overLease.isValid());
        assertThat(List.of(coreLease, builtLease, overLease)).allSatisfy(l -> {
            assertThat(l.whenLost().toCompletableFuture()).as(l + ": not lost").isNotDone();
            assertThat(l.state()).isNotEqualTo(io.holdfast.LeaseState.LOST);
        });
        assertThat(told).as("no listener told").hasValue(0);
        for (RLock l : List.of(coreLock, builtLock, overLock)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(l::unlock).as(l.toString())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        QuorumHoldfast next = quorum();
        assertThat(next.getQuorumLock("close-over").tryLock()).as("given back: free at once").isTrue();
    }

    private static boolean unlocked(RLock lock) {
        lock.unlock();
        return true;
    }
}
