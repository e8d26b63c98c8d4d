package io.holdfast.it.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.ReplicaAcknowledgement;
import io.holdfast.testkit.RedisSentinelGroup;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Holdfast through Redis Sentinel (issue 14, Sentinel part): a master, two replicas and three
 * Sentinels started by the test; clients connect with the {@code redis-sentinel://} URI and follow
 * the master across a failover (Lettuce asks the Sentinels for the master on every reconnect).
 */
@Tag("integration")
@Timeout(120)
class SentinelFailoverTest {

    private static final Duration FAILOVER = Duration.ofSeconds(30);

    private RedisSentinelGroup group;
    private final List<Holdfast> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        group = RedisSentinelGroup.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(Holdfast::close);
        group.close();
    }

    @Test
    void throughSentinels_theLockExcludes_andAReleaseHandsItToTheWaiter() throws Exception {
        RLock a = client(o -> { }).getLock("sentinel-basic");
        RLock b = client(o -> { }).getLock("sentinel-basic");
        a.lock();
        assertThat(b.tryLock()).isFalse();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> takeAndRelease(b, 10));
        await().atMost(Duration.ofSeconds(5)).until(() -> group.currentMaster().commands()
                .zcard("holdfast:{sentinel-basic}:queue") == 1);
        a.unlock();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * A hold the promoted replica never got (deleted on the replicas here, as if replication had
     * lagged) is reported lost to its holder, and a client waiting for the lock gets it from the new
     * master: nobody is stranded on the dead one.
     */
    @Test
    void afterAFailover_aHoldTheNewMasterLacks_isReportedLost_andTheWaiterGetsTheLock() throws Exception {
        Holdfast holder = client(o -> o.watchdogLease(Duration.ofSeconds(3)));
        RLock held = holder.getLock("sentinel-lost");
        held.lock();
        Lease lease = held.currentLease().orElseThrow();
        RLock other = client(o -> o.watchdogLease(Duration.ofSeconds(3))).getLock("sentinel-lost");
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> takeAndRelease(other, 60));
        RedisServer master = group.currentMaster();
        await().atMost(Duration.ofSeconds(5)).until(() -> master.commands().zcard("holdfast:{sentinel-lost}:queue") == 1);
        master.commands().waitForReplication(2, 2_000);
        for (RedisServer replica : group.replicas()) {
            replica.commands().configSet("replica-read-only", "no");
            assertThat(replica.commands().del("holdfast:{sentinel-lost}")).as("the hold on a replica").isEqualTo(1);
        }

        group.killMaster();
        group.awaitNewMaster(master, FAILOVER);

        assertThat(lease.whenLost().toCompletableFuture().get(30, TimeUnit.SECONDS))
                .as("the holder is told its hold is gone").isNotNull();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("the waiter gets the lock from the new master").isTrue();
    }

    /**
     * With every hold acknowledged by both replicas before it is granted, a failover to either keeps
     * it: no loss is reported, another client cannot take the lock, and the holder unlocks it on
     * the new master.
     */
    @Test
    void withReplicaAcknowledgementRequired_aHoldSurvivesAFailover() throws Exception {
        Consumer<HoldfastOptions.Builder> acked = o -> o.watchdogLease(Duration.ofSeconds(20))
                .replicaAcknowledgement(2, Duration.ofMillis(500), ReplicaAcknowledgement.Policy.REQUIRE);
        RLock held = client(acked).getLock("sentinel-acked");
        held.lock();
        Lease lease = held.currentLease().orElseThrow();
        RedisServer master = group.currentMaster();

        group.killMaster();
        RedisServer promoted = group.awaitNewMaster(master, FAILOVER);

        assertThat(promoted.commands().exists("holdfast:{sentinel-acked}")).as("the hold on the new master").isEqualTo(1);
        assertThat(client(acked).getLock("sentinel-acked").tryLock()).as("another client's tryLock").isFalse();
        assertThatCode(held::unlock).as("the holder's unlock on the new master").doesNotThrowAnyException();
        assertThat(lease.whenLost().toCompletableFuture()).as("no loss reported").isNotDone();
    }

    private Holdfast client(Consumer<HoldfastOptions.Builder> options) {
        HoldfastOptions.Builder builder = HoldfastOptions.builder(group.uri()).commandTimeout(Duration.ofSeconds(1));
        options.accept(builder);
        Holdfast client = Holdfast.connect(builder.build());
        clients.add(client);
        return client;
    }

    private static boolean takeAndRelease(RLock lock, long waitSeconds) {
        try {
            if (!lock.tryLock(waitSeconds, TimeUnit.SECONDS)) {
                return false;
            }
            lock.unlock();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
