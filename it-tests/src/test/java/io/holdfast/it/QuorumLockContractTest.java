package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.quorum.QuorumHoldfast;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole exclusive-lock contract ({@link LockContract}) for the quorum lock over five
 * independent masters started by the test: the contract's server is master 0, four more run
 * beside it. Every client the contract makes ({@link #client}) is the client of master 0 of a
 * quorum client of its own, whose four other masters' clients the test connects alongside it;
 * {@link #lockOf} gives that quorum client's lock. So the contract's looks at "the client"
 * (subscribed channels, renewals, holds) and at "the server" are those of master 0, where the
 * quorum lock's waiters queue (the first master the holder holds).
 *
 * <p>Three tests are replaced by their quorum form (same names): closing one master's client does
 * not close a quorum client (its waiters go on waiting on the other masters; closing the quorum
 * client fails them), and a re-entry is counted by the quorum client without a round trip.
 */
@Tag("integration")
class QuorumLockContractTest extends LockContract {

    private static final List<RedisServer> others = new ArrayList<>();
    private final Map<Holdfast, QuorumHoldfast> quorums = new IdentityHashMap<>();

    @BeforeAll
    static void startTheOtherMasters() {
        for (int i = 0; i < 4; i++) {
            others.add(RedisServer.start());
        }
    }

    @AfterAll
    static void stopTheOtherMasters() throws Exception {
        for (RedisServer s : others) {
            s.close();
        }
        others.clear();
    }

    @BeforeEach
    void flushTheOtherMasters() {
        others.forEach(s -> s.commands().flushall());
    }

    @Override
    protected Holdfast client(Duration watchdogLease) {
        Holdfast first = super.client(watchdogLease);
        quorumOf(first, watchdogLease);
        return first;
    }

    private QuorumHoldfast quorumOf(Holdfast first, Duration watchdogLease) {
        List<Holdfast> masters = new ArrayList<>(List.of(first));
        for (RedisServer s : others) {
            Holdfast m = Holdfast.connect(HoldfastOptions.builder(s.uri()).watchdogLease(watchdogLease).build());
            closeables.add(m);
            masters.add(m);
        }
        QuorumHoldfast q = QuorumHoldfast.over(masters).watchdogLease(watchdogLease).build();
        closeables.add(0, q);
        quorums.put(first, q);
        return q;
    }

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        QuorumHoldfast q = quorums.get(client);
        assertThat(q).as("a client made by client()").isNotNull();
        return q.getQuorumLock(name);
    }

    /** The quorum form: closing the quorum client (and its masters' clients) stops every renewal. */
    @Test
    @Override
    void noRenewal_afterClose() {
        Holdfast c = client(LEASE);
        QuorumHoldfast quorum = quorums.get(c);
        lockOf(c, "closed").lock();
        assertThat(c.renewalCount()).isEqualTo(1);
        quorum.close();
        quorum.masters().forEach(Holdfast::close);
        assertThat(quorum.masters()).allSatisfy(m -> assertThat(m.renewalCount()).isZero());
        OwnerThread other = thread("after-close");
        assertThat(other.call(() -> lockOf(b, "closed").tryLock(5, TimeUnit.SECONDS))).isTrue();
        assertThatThrownBy(() -> lockOf(c, "closed")).isInstanceOf(IllegalStateException.class);
    }

    /**
     * The quorum form: closing master 0's client (where the waiter queues) leaves four masters, a
     * majority, so the blocked caller is not failed: it waits on the others and gets the lock once
     * the holder lets go. Closing the quorum client itself fails a blocked caller at once.
     */
    @Test
    @Override
    void close_mustNotLeaveCallersBlockedInLockHangingForEver() throws Exception {
        RLock held = blockerOf(a, "closing");
        held.lock();
        Holdfast c = client(LEASE);
        OwnerThread blocked = thread("blocked-at-master-close");
        Future<Boolean> waiting = blocked.submit(() -> {
            lockOf(c, "closing").lock();
            return lockOf(c, "closing").isHeldByCurrentThread();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> c.subscribedChannels() == 1);
        c.close(); // master 0's client of the waiter's quorum client
        held.unlock();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).as("taken on the four other masters").isTrue();
        blocked.run(() -> lockOf(c, "closing").unlock());

        held.lock();
        Holdfast d = client(LEASE);
        OwnerThread blocked2 = thread("blocked-at-quorum-close");
        Future<Object> waiting2 = blocked2.submit(() -> {
            lockOf(d, "closing").lock();
            return null;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> d.subscribedChannels() == 1);
        quorums.get(d).close();
        assertThatThrownBy(() -> waiting2.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        held.unlock();
    }

    /**
     * The quorum form: a re-entry is counted by the quorum client, so a master that stops answering
     * neither fails it nor makes the masters count it; the last unlock leaves nothing held.
     */
    @Test
    @Override
    void reentryWhoseReplyWasLost_mustNotLeaveTheLockHeldAfterTheLastUnlock() {
        groupLockReentryWithoutARoundTrip();
        assertThat(others).allSatisfy(s -> assertThat(s.commands().hlen(key("lost-reply"))).isEqualTo(1));
    }
}
