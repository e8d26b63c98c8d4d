package io.holdfast.chaos;

import static io.holdfast.chaos.ProxiedClients.lock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.chaos.proxy.Direction;
import io.holdfast.chaos.proxy.Link;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, item 1: a hand-over message that arrives late, after the waiter's hand-over lease ran
 * out, another client took the lock and the waiter queued again, must not make the waiter believe
 * it holds the lock.
 *
 * <p>O holds (explicit lease); H, through the proxy, waits in {@code tryLock(30 s, lease 1 s)};
 * H's pub/sub link is held back towards H; O unlocks, which hands the lock to H; H's hand-over
 * lease runs out unconfirmed; X takes the lock; H's timed retry finds X and joins the queue
 * again; then the held-back message reaches H. H's tryLock must not return true while X holds.
 *
 * <p>On {@code 4c02a12} (before the fix), 3 of 3 runs, default and fair lock: H's tryLock returns
 * true while X holds the lock.
 */
@Tag("integration")
class LateHandOverAfterRequeueTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    /**
     * H's waiter timeout. Long enough that H's watchdog does not renew its queue place (at about
     * half of it) before H's timed retry (when O's 3 s lease would end) queues H again: a renewal
     * that finds the place gone first makes H distrust the late message. Its hand-over lease is
     * min(1 s, this) = 1 s, the lease H asked for, so H trusts a hand-over message.
     */
    private static final Duration WAITER_TIMEOUT = Duration.ofSeconds(20);

    private ProxiedClients clients;

    @BeforeEach
    void start() {
        clients = new ProxiedClients(redis);
    }

    @AfterEach
    void stop() {
        clients.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "fair"})
    void lateHandOverMessage_afterTheWaiterQueuedAgain_mustNotGrantTheLockWhileAnotherClientHoldsIt(String kind) {
        String name = "late-hand-over-" + kind;
        String key = "holdfast:{" + name + "}";
        Holdfast h = clients.throughProxy(o -> o.fairWaiterTimeout(WAITER_TIMEOUT));
        RLock o = lock(clients.direct(), kind, name);
        RLock x = lock(clients.direct(), kind, name);
        o.lock(3, TimeUnit.SECONDS);

        CompletableFuture<Boolean> hAcquired = CompletableFuture.supplyAsync(() -> {
            try {
                return lock(h, kind, name).tryLock(30_000, 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.commands().hlen(key + ":waiters") > 0
                && clients.proxy.links().stream().anyMatch(Link::isPubSub));
        Link messages = clients.pubSubLink();
        messages.holdBack(Direction.TO_CLIENT);

        o.unlock(); // hands the lock over to H, for 1 s; H does not hear of it
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.commands().exists(key) == 0);
        assertThat(x.tryLock()).as("X's tryLock() once H's hand-over lease ran out").isTrue();
        await().atMost(Duration.ofSeconds(8)).until(() -> redis.commands().hlen(key + ":waiters") > 0);

        messages.release(Direction.TO_CLIENT); // the late hand-over message reaches H
        await("H's tryLock must not return true while X holds the lock").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> !Boolean.TRUE.equals(hAcquired.getNow(false)));
        assertThat(x.isHeldByCurrentThread()).isTrue();
        x.unlock();
    }
}
