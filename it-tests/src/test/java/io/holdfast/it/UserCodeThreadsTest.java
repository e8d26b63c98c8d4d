package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 3: user code (the continuations of the futures the API returns, {@code whenLost()}
 * stages) runs off Lettuce's I/O threads, so that it may call the blocking API.
 */
@Tag("integration")
class UserCodeThreadsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    /** Far below the command timeout: a callback blocking the I/O thread would make isLocked() time out. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    private Holdfast a;
    private Holdfast b;

    @BeforeEach
    void connect() {
        a = Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofMillis(600)).build());
        b = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build());
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /** What a callback saw: its thread, and isLocked() as the blocking API answered it there. */
    private record Seen(String thread, boolean ioThread, boolean locked) {
        static Seen now(RLock lock) {
            Thread t = Thread.currentThread();
            return new Seen(t.getName(), t.getName().startsWith("lettuce-")
                    || t instanceof io.netty.util.concurrent.FastThreadLocalThread, lock.isLocked());
        }
    }

    @Test
    void whenLostCallback_callingIsLocked_completes_offTheIoThread() {
        RLock lock = a.getLock("lost");
        lock.lock();
        Lease lease = lock.currentLease().orElseThrow();
        CompletableFuture<Seen> seen = lease.whenLost().thenApply(cause -> Seen.now(lock)).toCompletableFuture();
        redis.commands().del("holdfast:{lost}"); // the next renewal finds the hold gone, on an I/O thread

        await().atMost(PROMPT.plusSeconds(2)).until(seen::isDone);
        assertThat(seen.join().ioThread()).as("ran on " + seen.join().thread()).isFalse();
        assertThat(seen.join().locked()).isFalse();
        assertThat(lock.isLocked()).as("the command connection is not stalled").isFalse();
    }

    @Test
    void asyncAcquisitionCompletedByAHandOver_continuationCallingIsLocked_completes_offTheIoThread() throws Exception {
        RLock held = a.getLock("handover");
        held.lock();
        RLock lock = b.getLock("handover");
        CompletableFuture<Optional<Lease>> waiting = lock.tryLockAsync(42, 20, -1, TimeUnit.SECONDS);
        CompletableFuture<Seen> seen = waiting.thenApply(granted -> Seen.now(lock));
        await().atMost(PROMPT).until(() -> redis.commands().zcard("holdfast:{handover}:queue") > 0);
        held.unlock(); // the release hands the lock over: b learns it by a pub/sub message

        Seen s = seen.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(waiting.join()).isPresent();
        assertThat(s.ioThread()).as("ran on " + s.thread()).isFalse();
        assertThat(s.locked()).isTrue();
        // a stage added after the future completed runs on the caller's thread; one added before runs
        // where the future completes: on a callback thread, never on a Redis I/O thread
        Thread ranOn = lock.unlockAsync(42).thenApply(v -> Thread.currentThread())
                .get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ranOn.getName()).doesNotStartWith("lettuce-");
        assertThat(ranOn).isNotInstanceOf(io.netty.util.concurrent.FastThreadLocalThread.class);
    }

    @Test
    void aCallbackExecutorSetInTheOptions_runsTheContinuations() throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-callbacks"));
        try (Holdfast c = Holdfast.connect(HoldfastOptions.builder(redis.uri()).callbackExecutor(mine).build())) {
            RLock held = a.getLock("mine");
            held.lock(); // so that the continuation below is attached before the future completes
            RLock lock = c.getLock("mine");
            CompletableFuture<String> thread = lock.lockAsync(7, -1, TimeUnit.SECONDS)
                    .thenApply(l -> Thread.currentThread().getName());
            held.unlock();
            assertThat(thread.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("my-callbacks");
            lock.unlockAsync(7).get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            mine.shutdownNow();
        }
    }
}
