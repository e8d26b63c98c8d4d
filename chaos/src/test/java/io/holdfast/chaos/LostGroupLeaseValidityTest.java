package io.holdfast.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.quorum.MultiLock;
import io.holdfast.quorum.QuorumHoldfast;
import io.holdfast.testkit.ChildJvm;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Found by the quorum-mode chaos run (seed 20261212, 3 minutes, 3 overlaps): a multi-lock hold with
 * an explicit lease, its holder stopped (SIGSTOP, 897 ms) right after the grant. Its member leases
 * ran out on the server and another client took member {@code m1} 944.6 ms after the group's start;
 * the holder resumed, its validity check fired at once and found the hold lost, and from then on the
 * group's {@code Lease.validUntilNanos()} answered <em>the moment the loss was found</em> (1051.6 ms
 * after the start), later than the deadline the hold really had and later than the other client's
 * grant. The {@code Lease} contract says the deadline is the instant until which the hold is known to
 * be valid; a holder that checks its work against it believed a write done after the other grant
 * was covered. The quorum lock shares the code ({@code GroupHold}).
 *
 * <p>Interleaving, exactly: holder (child JVM) acquires with a 600 ms lease and prints its deadline
 * {@code d}; the test stops it; another client's {@code tryLock} on the member (or the quorum lock)
 * is granted at {@code g > d} once the lease ran out on the server; the test resumes the holder;
 * its timer finds the hold lost at {@code f > g}; the holder prints {@code validUntilNanos()}.
 * Before the fix it printed {@code f}; it must be at most {@code d}.
 */
@Tag("integration")
class LostGroupLeaseValidityTest {

    private static final long LEASE_MS = 600;
    private static final List<RedisServer> servers = new ArrayList<>();

    @BeforeAll
    static void start() {
        for (int i = 0; i < 3; i++) {
            servers.add(RedisServer.start());
        }
    }

    @AfterAll
    static void stop() {
        servers.forEach(RedisServer::close);
    }

    @Test
    void aMultiLockHoldFoundLostLate_reportsTheDeadlineItHad_notWhenTheLossWasFound() throws Exception {
        try (Holdfast other = Holdfast.connect(HoldfastOptions.builder(servers.get(1).uri()).build())) {
            stoppedHolderThenOtherGrant("multi", other.getLock("m1"));
        }
    }

    @Test
    void aQuorumHoldFoundLostLate_reportsTheDeadlineItHad_notWhenTheLossWasFound() throws Exception {
        try (QuorumHoldfast other = QuorumHoldfast.builder(uris()).build()) {
            stoppedHolderThenOtherGrant("quorum", other.getQuorumLock("q"));
        }
    }

    private static void stoppedHolderThenOtherGrant(String kind, RLock other) throws Exception {
        try (ChildJvm holder = ChildJvm.builder(Holder.class).arg(kind, String.join(",", uris())).start()) {
            long deadline = Long.parseLong(holder.awaitLine(l -> l.startsWith("held "), Duration.ofSeconds(30))
                    .substring(5));
            holder.pause();
            assertThat(other.tryLock(10, TimeUnit.SECONDS)).as("the other client, once the lease ran out").isTrue();
            long granted = System.nanoTime(); // one monotonic clock for every process on this machine
            other.unlock();
            holder.resume();
            long reported = Long.parseLong(holder.awaitLine(l -> l.startsWith("lost "), Duration.ofSeconds(30))
                    .substring(5));
            assertThat(granted).as("the other grant came after the holder's deadline").isGreaterThan(deadline);
            assertThat(reported).as("validUntilNanos() of the lost hold: at most the deadline it had ("
                    + (reported - deadline) / 1_000_000 + " ms past it; the other grant was "
                    + (granted - deadline) / 1_000_000 + " ms past it)").isLessThanOrEqualTo(deadline);
        }
    }

    private static String[] uris() {
        return servers.stream().map(RedisServer::uri).toArray(String[]::new);
    }

    /**
     * The holder (child JVM main): {@code multi URIS} takes a multi-lock over {@code m0} (first
     * server) and {@code m1} (second), {@code quorum URIS} the quorum lock {@code q}, both with a
     * {@link #LEASE_MS} lease; prints {@code held <validUntilNanos>}, waits for the loss, prints
     * {@code lost <validUntilNanos>}.
     */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            String[] uris = args[1].split(",");
            List<Holdfast> clients = new ArrayList<>();
            for (String uri : uris) {
                clients.add(Holdfast.connect(HoldfastOptions.builder(uri).build()));
            }
            RLock lock = args[0].equals("multi")
                    ? MultiLock.of(clients.get(0).getLock("m0"), clients.get(1).getLock("m1"))
                    : QuorumHoldfast.over(clients).build().getQuorumLock("q");
            lock.lock(LEASE_MS, TimeUnit.MILLISECONDS);
            Lease lease = lock.currentLease().orElseThrow();
            System.out.println("held " + lease.validUntilNanos());
            lease.whenLost().toCompletableFuture().get(60, TimeUnit.SECONDS);
            System.out.println("lost " + lease.validUntilNanos());
            System.exit(0);
        }
    }
}
