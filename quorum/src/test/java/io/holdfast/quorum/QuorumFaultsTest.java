package io.holdfast.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The quorum lock over five independent redis-servers started by the test, under faults: masters
 * killed, frozen ({@code SIGSTOP}) and restarted empty, and the drift allowance. Servers a test
 * broke are started again before the next test ({@link FiveMasters}).
 */
@Tag("integration")
class QuorumFaultsTest {

    @RegisterExtension
    static final FiveMasters masters = new FiveMasters();

    private static final Duration LEASE = Duration.ofMillis(900);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private QuorumHoldfast quorum(UnaryOperator<QuorumHoldfast.Builder> options) {
        QuorumHoldfast q = options.apply(QuorumHoldfast.builder(masters.uris()).watchdogLease(LEASE)).build();
        closeables.add(q);
        return q;
    }

    private QuorumHoldfast quorum() {
        return quorum(UnaryOperator.identity());
    }

    @Test
    void twoOfFiveMastersKilled_theLockIsStillAcquiredAndRenewed() throws Exception {
        QuorumHoldfast q = quorum();
        QuorumHoldfast other = quorum();
        masters.get(1).kill();
        masters.get(3).kill();
        RLock lock = q.getQuorumLock("two-down");
        assertThat(lock.tryLock(5, TimeUnit.SECONDS)).isTrue();
        Lease lease = lock.currentLease().orElseThrow();
        // renewed by the three masters left, for three leases, and nobody else gets in
        await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(6))
                .until(() -> lease.isValid() && !other.getQuorumLock("two-down").tryLock());
        assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
        lock.unlock();
        for (int i : new int[] {0, 2, 4}) {
            assertThat(masters.get(i).commands().exists(key("two-down"))).as("master %d", i).isZero();
        }
        assertThat(other.getQuorumLock("two-down").tryLock()).isTrue();
    }

    @Test
    void threeOfFiveMastersKilled_acquisitionFailsWithAClearError_andTheHoldIsReportedLost() throws Exception {
        AtomicInteger told = new AtomicInteger();
        QuorumHoldfast q = quorum(b -> b.leaseListener((lease, cause) -> told.incrementAndGet()));
        RLock lock = q.getQuorumLock("three-down");
        lock.lock();
        Lease lease = lock.currentLease().orElseThrow();
        masters.get(0).kill();
        masters.get(2).kill();
        masters.get(4).kill();

        LockLostException lost = lease.whenLost().toCompletableFuture().get(LEASE.toMillis() * 5, TimeUnit.MILLISECONDS);
        assertThat(lost).hasMessageContaining("three-down").hasMessageContaining("3 of 5");
        assertThat(lease.state()).isEqualTo(LeaseState.LOST);
        assertThat(lease.isValid()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> told.get() >= 1);
        assertThatThrownBy(lock::unlock).isInstanceOf(LockLostException.class);
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .isNotInstanceOf(LockLostException.class);
        assertThat(told).as("the listener fired once").hasValue(1);

        RLock next = q.getQuorumLock("three-down-next");
        assertThatThrownBy(next::tryLock).isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("three-down-next").hasMessageContaining("only 2 of 5 members answered")
                .hasMessageContaining("3 are needed").hasMessageContaining(masters.get(0).port() + "");
        assertThatThrownBy(next::lock).as("a waiting acquisition gives up after the unavailable timeout")
                .isInstanceOf(RedisUnavailableException.class);
        assertThat(next.isHeldByCurrentThread()).isFalse();
    }

    @Test
    void aMasterFrozenDuringAcquire_isCutOff_andItsLateGrantIsGivenBack() throws Exception {
        QuorumHoldfast q = quorum();
        RedisServer frozen = masters.get(0);
        Map<String, Long> before = CommandStats.read(frozen.commands());
        frozen.pause();
        RLock lock = q.getQuorumLock("frozen");
        long start = System.nanoTime();
        boolean got;
        try {
            got = lock.tryLock();
        } finally {
            frozen.resume();
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(got).isTrue();
        assertThat(tookMillis).as("cut off long before the master's 5 s command timeout").isLessThan(3_000);
        assertThat(lock.currentLease()).get().matches(Lease::isValid);
        // the attempt sent to the frozen master runs when it resumes; its grant is given back
        await().atMost(Duration.ofSeconds(10)).until(() -> scriptCalls(CommandStats.delta(before,
                CommandStats.read(frozen.commands()))) >= 2 && frozen.commands().exists(key("frozen")) == 0);
        assertThat(lock.isLocked()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aMasterRestartedEmptyUnderALiveHold_theHoldSurvivesOnTheMajority() throws Exception {
        QuorumHoldfast q = quorum();
        QuorumHoldfast other = quorum();
        RLock lock = q.getQuorumLock("restarted");
        lock.lock();
        Lease lease = lock.currentLease().orElseThrow();
        masters.get(2).restart();
        assertThat(masters.get(2).commands().exists(key("restarted"))).isZero();
        await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(6))
                .until(() -> lease.isValid() && !other.getQuorumLock("restarted").tryLock());
        assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
        lock.unlock();
        assertThat(other.getQuorumLock("restarted").tryLock()).isTrue();
    }

    @Test
    void theClockDriftAllowance_shrinksTheValidity() throws Exception {
        QuorumHoldfast none = quorum(b -> b.clockDrift(0, Duration.ZERO));
        QuorumHoldfast fifth = quorum(b -> b.clockDrift(0.2, Duration.ofMillis(100)));
        RLock a = none.getQuorumLock("drift-none");
        RLock b = fifth.getQuorumLock("drift-fifth");
        a.lock(10, TimeUnit.SECONDS);
        b.lock(10, TimeUnit.SECONDS);
        long withoutDrift = a.currentLease().orElseThrow().remaining(TimeUnit.MILLISECONDS);
        long withDrift = b.currentLease().orElseThrow().remaining(TimeUnit.MILLISECONDS);
        assertThat(withDrift).as("lease - elapsed - (0.2 * lease + 100 ms)").isLessThanOrEqualTo(10_000 - 2_100);
        assertThat(withoutDrift).as("lease - elapsed").isGreaterThan(10_000 - 2_100).isLessThanOrEqualTo(10_000);
        a.unlock();
        b.unlock();
    }

    @Test
    void closingAClientOverOpenMasterClients_givesItsHoldsBack() throws Exception {
        List<Holdfast> clients = new ArrayList<>();
        for (String uri : masters.uris()) {
            Holdfast h = Holdfast.connect(HoldfastOptions.builder(uri).watchdogLease(LEASE).build());
            closeables.add(h);
            clients.add(h);
        }
        QuorumHoldfast q = QuorumHoldfast.over(clients).watchdogLease(LEASE).build();
        q.getQuorumLock("given-back").lock();
        assertThat(clients).allSatisfy(h -> assertThat(h.renewalCount()).isEqualTo(1));
        q.close();
        assertThat(clients).as("the masters' clients stay open and renew nothing")
                .allSatisfy(h -> assertThat(h.renewalCount()).isZero());
        for (RedisServer s : masters.all()) {
            assertThat(s.commands().exists(key("given-back"))).as("%s", s).isZero();
        }
        assertThatThrownBy(() -> q.getQuorumLock("given-back")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badInput_isRefusedWithAClearError() {
        assertThatThrownBy(() -> QuorumHoldfast.builder("redis://127.0.0.1:1", "redis://127.0.0.1:2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("odd number of masters, at least 3");
        assertThatThrownBy(() -> QuorumHoldfast.builder("redis://a:1", "redis://a:2", "redis://a:3", "redis://a:4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 4");
        assertThatThrownBy(() -> QuorumHoldfast.builder("redis://a:1", "redis://a:1", "redis://a:3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> QuorumHoldfast.builder(masters.uris()).clockDrift(0.5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drift");
        QuorumHoldfast q = quorum();
        assertThatThrownBy(() -> q.getQuorumLock(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> q.getQuorumLock("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(q.majority()).isEqualTo(3);
    }

    private static long scriptCalls(Map<String, Long> delta) {
        return delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
    }

    private static String key(String name) {
        return "holdfast:{" + name + "}";
    }
}
