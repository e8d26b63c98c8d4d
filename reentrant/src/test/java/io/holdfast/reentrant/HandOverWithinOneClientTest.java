package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.HoldfastTimeoutException;
import io.holdfast.RLock;
import io.holdfast.spi.LockKeys;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hand-over to a waiter of the releasing client is not published: the release's reply tells it
 * (queue.lua's hand_over, {@code teller}). When that reply is lost, the waiter must still get the
 * lock at once, not at its next attempt a waiter timeout later.
 */
@Tag("integration")
class HandOverWithinOneClientTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void aReleaseWhoseReplyIsLost_stillLetsTheSameClientsWaiterIn_withoutWaitingAWaiterTimeout() throws Exception {
        // a minute of lease and of waiter timeout: no attempt is due because of them
        try (Holdfast client = Holdfast.connect(HoldfastOptions.builder(redis.uri())
                .commandTimeout(Duration.ofMillis(300))
                .watchdogLease(Duration.ofSeconds(60))
                .fairWaiterTimeout(Duration.ofSeconds(60))
                .build())) {
            RLock warmUp = client.getLock("warm-up"); // the scripts loaded: the release is one EVALSHA
            warmUp.lock();
            warmUp.unlock();
            RLock lock = client.getLock("lost-release");
            lock.lock();
            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
                lock.lock();
                try {
                    return lock.getFencingToken();
                } finally {
                    lock.unlock();
                }
            });
            String queue = QueuedHashKind.queue(LockKeys.of("holdfast:", "lost-release"));
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.commands().zcard(queue) == 1);

            redis.server().pause();
            Throwable failure;
            try {
                failure = catchThrowable(lock::unlock); // runs on the server once it resumes; its reply is lost
            } finally {
                redis.server().resume();
            }
            assertThat(failure).isInstanceOf(HoldfastTimeoutException.class);
            // left alone, the waiter would look again only when its park ends: up to 5 s after its
            // last attempt (Acquisition.MAX_PARK_MILLIS), which was just before the pause; woken by
            // the failed release, it is in as soon as the server runs the two commands
            assertThat(waiter.get(3, TimeUnit.SECONDS)).as("the waiter's token").isPositive();
            await().atMost(Duration.ofSeconds(10)).until(() -> !lock.isLocked());
        }
    }
}
