package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.ReplicaAcknowledgement.Policy;
import io.holdfast.ReplicationException;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replica acknowledgement ({@code WAIT}) after a fresh acquisition, on a real master and replica;
 * a lagging replica is made by freezing it ({@code SIGSTOP}).
 */
@Tag("integration")
class ReplicaAcknowledgementTest {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);

    private static RedisServer master;
    private static RedisServer replica;

    @BeforeAll
    static void start() {
        master = RedisServer.start();
        replica = RedisServer.replicaOf(master);
    }

    @AfterAll
    static void stop() {
        replica.close();
        master.close();
    }

    @BeforeEach
    void flushAndCatchUp() {
        master.commands().flushall();
        // after a freeze the replica may still be catching up: start each test with it in sync
        await().atMost(Duration.ofSeconds(30))
                .until(() -> master.commands().waitForReplication(1, 1_000) == 1);
    }

    @Test
    void acknowledgedHold_isOnTheReplica_whenLockReturns() {
        try (Holdfast client = client(1, Policy.REQUIRE)) {
            RLock lock = client.getLock("acked");
            lock.lock();
            assertThat(replica.commands().exists("holdfast:{acked}")).as("already replicated").isOne();
            lock.unlock();
        }
    }

    @Test
    void require_withTooFewReplicas_givesTheHoldBack_andFailsNamingTheLock() {
        try (Holdfast client = client(2, Policy.REQUIRE)) {
            RLock lock = client.getLock("short");
            assertThatThrownBy(lock::lock)
                    .isInstanceOf(ReplicationException.class)
                    .hasMessageContaining("lock 'short'")
                    .hasMessageContaining("only 1 of 2 replicas");
            assertThat(client.holdCount()).isZero();
            assertThat(client.renewalCount()).isZero();
            assertThat(master.commands().exists("holdfast:{short}")).as("given back on the server").isZero();
        }
    }

    @Test
    void require_withAFrozenReplica_fails_andWarn_keepsTheHold() {
        try (Holdfast strict = client(1, Policy.REQUIRE);
                Holdfast lenient = client(1, Policy.WARN)) {
            replica.pause();
            try {
                assertThatThrownBy(() -> strict.getLock("frozen").lock())
                        .isInstanceOf(ReplicationException.class)
                        .satisfies(e -> assertThat(((ReplicationException) e).acknowledged()).isZero());
                assertThat(strict.holdCount()).isZero();
                RLock kept = lenient.getLock("frozen");
                kept.lock();
                assertThat(kept.isHeldByCurrentThread()).isTrue();
                kept.unlock();
            } finally {
                replica.resume();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> master.commands().exists("holdfast:{frozen}") == 0);
        }
    }

    @Test
    void ackTimeout_mustBeShorterThanTheCommandTimeout() {
        assertThatThrownBy(() -> HoldfastOptions.builder(master.uri()).commandTimeout(Duration.ofMillis(200))
                .replicaAcknowledgement(1, Duration.ofMillis(200), Policy.REQUIRE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than the command timeout");
        assertThatThrownBy(() -> HoldfastOptions.builder(master.uri()).replicaAcknowledgement(0, ACK_TIMEOUT, Policy.WARN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Holdfast client(int replicas, Policy policy) {
        return Holdfast.connect(HoldfastOptions.builder(master.uri())
                .replicaAcknowledgement(replicas, ACK_TIMEOUT, policy).build());
    }
}
