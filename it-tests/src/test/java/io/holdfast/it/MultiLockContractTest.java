package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.quorum.MultiLock;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole exclusive-lock contract ({@link LockContract}) for the multi-lock: the lock called
 * {@code name} of a client is the multi-lock over that client's reentrant lock {@code name} (on the
 * contract's server) and a second client's reentrant lock {@code name} on a second server started
 * by the test, through a partner client made with it. One multi-lock object per client and name
 * (its registry lives in it), as an application would keep it. Closing the client (as the contract
 * does) stops its member's renewal without a loss report: the multi-lock's own validity check
 * reports the group lost and gives the partner's member back.
 *
 * <p>One test is replaced by its multi-lock form (same name): a re-entry is counted by the
 * multi-lock without a round trip.
 */
@Tag("integration")
class MultiLockContractTest extends LockContract {

    private static RedisServer second;
    private final Map<Holdfast, Holdfast> partners = new IdentityHashMap<>();
    private final Map<Holdfast, Map<String, RLock>> multiLocks = new IdentityHashMap<>();

    @BeforeAll
    static void startTheSecondServer() {
        second = RedisServer.start();
    }

    @AfterAll
    static void stopTheSecondServer() throws Exception {
        second.close();
    }

    @BeforeEach
    void flushTheSecondServer() {
        second.commands().flushall();
    }

    @Override
    protected Holdfast client(Duration watchdogLease) {
        Holdfast first = super.client(watchdogLease);
        Holdfast partner = Holdfast.connect(HoldfastOptions.builder(second.uri()).watchdogLease(watchdogLease).build());
        closeables.add(partner);
        partners.put(first, partner);
        return first;
    }

    @Override
    protected synchronized RLock lockOf(Holdfast client, String name) { // the contract calls it from many threads
        RLock first = client.getLock(name); // checks the name and that the client is open
        Holdfast partner = partners.get(client);
        assertThat(partner).as("a client made by client()").isNotNull();
        return multiLocks.computeIfAbsent(client, c -> new HashMap<>())
                .computeIfAbsent(name, n -> MultiLock.of(first, partner.getLock(n)));
    }

    /**
     * The multi-lock form: a re-entry is counted by the multi-lock, so a server that stops
     * answering neither fails it nor makes the members count it; the last unlock leaves nothing held.
     */
    @Test
    @Override
    void reentryWhoseReplyWasLost_mustNotLeaveTheLockHeldAfterTheLastUnlock() {
        groupLockReentryWithoutARoundTrip();
        assertThat(second.commands().hlen(key("lost-reply"))).isEqualTo(1);
    }

    @Test
    void theSecondMember_isHeldTogetherWithTheFirst() {
        RLock lock = lockOf(a, "pair");
        lock.lock();
        assertThat(second.commands().exists(key("pair"))).isEqualTo(1);
        assertThat(server().commands().exists(key("pair"))).isEqualTo(1);
        lock.unlock();
        assertThat(second.commands().exists(key("pair"))).isZero();
        assertThat(Duration.ofMillis(lockOf(b, "pair").remainTimeToLive())).isEqualTo(Duration.ofMillis(-2));
    }
}
