package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.quorum.MultiLock;
import io.holdfast.testkit.CommandStats;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole exclusive-lock contract ({@link LockContract}) for a multi-lock whose members one
 * script call takes together: the lock called {@code name} of a client is the multi-lock over that
 * client's reentrant locks {@code name} and {@code name + "-2"}, on the contract's server (one
 * client, one kind, one server). {@link MultiLockContractTest} runs it over members on two servers.
 *
 * <p>One test is replaced by its multi-lock form (same name): a re-entry is counted by the
 * multi-lock without a round trip.
 */
@Tag("integration")
class MultiLockOneServerContractTest extends LockContract {

    private final Map<Holdfast, Map<String, RLock>> multiLocks = new IdentityHashMap<>();

    @Override
    protected synchronized RLock lockOf(Holdfast client, String name) { // the contract calls it from many threads
        RLock first = client.getLock(name); // checks the name and that the client is open
        return multiLocks.computeIfAbsent(client, c -> new HashMap<>())
                .computeIfAbsent(name, n -> MultiLock.of(first, client.getLock(n + "-2")));
    }

    /** Both members are the client's: its watchdog renews two holds. */
    @Override
    protected int renewedHoldsPerLock() {
        return 2;
    }

    /**
     * The multi-lock form: a re-entry is counted by the multi-lock, so a server that stops
     * answering neither fails it nor makes the members count it; the last unlock leaves nothing held.
     */
    @Test
    @Override
    void reentryWhoseReplyWasLost_mustNotLeaveTheLockHeldAfterTheLastUnlock() {
        groupLockReentryWithoutARoundTrip();
        assertThat(server().commands().hlen(key("lost-reply-2"))).isEqualTo(1);
    }

    @Test
    void bothMembers_areTakenByOneScriptCall_andReleasedTogether() {
        RLock lock = lockOf(a, "pair");
        lock.lock();
        lock.unlock(); // loads the scripts
        var stats = CommandStats.read(server().commands());
        long before = stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L);
        lock.lock();
        stats = CommandStats.read(server().commands());
        assertThat(stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L) - before).isEqualTo(1);
        assertThat(server().commands().exists(key("pair"), key("pair-2"))).isEqualTo(2);
        lock.unlock();
        assertThat(server().commands().exists(key("pair"), key("pair-2"))).isZero();
    }
}
