package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.HoldfastTimeoutException;
import io.holdfast.Lease;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.WrongKeyTypeException;
import io.holdfast.testkit.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad servers and faults, caused for real on servers this test starts: nothing reachable at the
 * address, a wrong password, a frozen or killed or restarted server, a key of another type, an
 * eviction policy that may drop lock keys. Each gives a clear error that names what went wrong,
 * and leaves nothing held.
 */
@Tag("integration")
class RedisFaultsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(700);

    @Test
    void connect_toAPortNobodyListensOn_failsFast_namingHostAndPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String uri = "redis://127.0.0.1:" + port;
        long start = System.nanoTime();
        assertThatThrownBy(() -> Holdfast.connect(options(uri)))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
    }

    @Test
    void connect_withAWrongPassword_failsSayingAuthenticationWasRefused() {
        try (RedisServer server = RedisServer.builder().requirePass("right-secret").start()) {
            String uri = "redis://:wrong-secret@127.0.0.1:" + server.port();
            assertThatThrownBy(() -> Holdfast.connect(options(uri)))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + server.port())
                    .hasMessageContaining("authentication");
            try (Holdfast ok = Holdfast.connect(options(server.uri()))) {
                assertThat(ok.getLock("auth").tryLock()).isTrue();
                ok.getLock("auth").unlock();
            }
        }
    }

    @Test
    void lock_whileRedisIsFrozen_failsAfterTheCommandTimeout_andLeavesNothingHeld() {
        try (RedisServer server = RedisServer.start();
                Holdfast client = Holdfast.connect(options(server.uri()))) {
            RLock lock = client.getLock("frozen");
            server.pause();
            long start = System.nanoTime();
            try {
                assertThatThrownBy(lock::lock)
                        .isInstanceOf(HoldfastTimeoutException.class)
                        .hasMessageContaining("frozen")
                        .hasMessageContaining("127.0.0.1:" + server.port());
            } finally {
                server.resume();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT.toMillis());
            assertThat(lock.isHeldByCurrentThread()).isFalse();
            assertThat(client.holdCount()).isZero();
            assertThat(client.renewalCount()).isZero();
            // the acquire may have run once the server woke up; its undo is queued right behind it
            await().atMost(Duration.ofSeconds(5)).until(() -> server.commands().exists("holdfast:{frozen}") == 0);
            assertThat(lock.tryLock()).as("usable again once Redis answers").isTrue();
            lock.unlock();
        }
    }

    @Test
    void lock_whileRedisIsDown_failsWithAnUncheckedError_andWorksAgainWhenItIsBack() {
        try (RedisServer server = RedisServer.start();
                Holdfast client = Holdfast.connect(options(server.uri()))) {
            RLock lock = client.getLock("down");
            server.kill();
            assertThatThrownBy(lock::lock)
                    .isInstanceOfAny(HoldfastTimeoutException.class, RedisUnavailableException.class)
                    .hasMessageContaining("down")
                    .hasMessageContaining("127.0.0.1:" + server.port());
            assertThat(client.holdCount()).isZero();
            server.restart();
            await().atMost(Duration.ofSeconds(15)).pollInSameThread().ignoreExceptions().until(lock::tryLock);
            lock.unlock();
            assertThat(server.commands().exists("holdfast:{down}")).isZero();
        }
    }

    @Test
    void redisRestartedWithoutPersistence_theHolderLearnsItsLeaseIsLost() {
        try (RedisServer server = RedisServer.start();
                Holdfast client = Holdfast.connect(HoldfastOptions.builder(server.uri())
                        .commandTimeout(TIMEOUT).watchdogLease(Duration.ofMillis(900)).build())) {
            RLock lock = client.getLock("restarted");
            lock.lock();
            Lease lease = lock.currentLease().orElseThrow();
            server.restart();
            LockLostException lost = lease.whenLost().toCompletableFuture().orTimeout(15, TimeUnit.SECONDS).join();
            assertThat(lost).hasMessageContaining("restarted");
            assertThat(lease.state()).isEqualTo(LeaseState.LOST);
            assertThatThrownBy(lock::unlock).isInstanceOf(LockLostException.class);
            assertThat(client.renewalCount()).isZero();
        }
    }

    @Test
    void lockKeyOfAnotherType_isReportedNamingTheKey_andNothingIsOverwritten() {
        try (RedisServer server = RedisServer.start();
                Holdfast client = Holdfast.connect(options(server.uri()))) {
            server.commands().set("holdfast:{theirs}", "somebody else's value");
            for (RLock lock : new RLock[] {client.getLock("theirs"), client.getFairLock("theirs")}) {
                assertThatThrownBy(lock::lock)
                        .isInstanceOf(WrongKeyTypeException.class)
                        .hasMessageContaining("holdfast:{theirs}");
                assertThatThrownBy(lock::tryLock).isInstanceOf(WrongKeyTypeException.class);
            }
            assertThat(server.commands().get("holdfast:{theirs}")).isEqualTo("somebody else's value");
            assertThat(server.commands().ttl("holdfast:{theirs}")).isEqualTo(-1);
            assertThat(client.holdCount()).isZero();
        }
    }

    @Test
    void maxmemoryPolicyThatMayEvictLockKeys_isWarnedAboutAtConnect() {
        try (RedisServer evicting = RedisServer.builder().arg("--maxmemory-policy", "allkeys-lru").start();
                RedisServer safe = RedisServer.start();
                Holdfast risky = Holdfast.connect(options(evicting.uri()));
                Holdfast fine = Holdfast.connect(options(safe.uri()))) {
            assertThat(risky.warnings()).singleElement().asString()
                    .contains("allkeys-lru").contains("127.0.0.1:" + evicting.port());
            assertThat(fine.warnings()).isEmpty();
        }
    }

    private static HoldfastOptions options(String uri) {
        return HoldfastOptions.builder(uri).commandTimeout(TIMEOUT).build();
    }
}
