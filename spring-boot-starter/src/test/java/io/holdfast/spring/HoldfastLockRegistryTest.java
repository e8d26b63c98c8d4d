package io.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.spring.integration.HoldfastLockRegistry;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The {@link LockRegistry} contract, written from Spring Integration's documentation of
 * {@code LockRegistry} and {@code RedisLockRegistry}: {@code obtain(key)} returns the lock of that
 * key, the same key names the same lock, locks exclude each other across registries in different
 * clients (processes), {@code tryLock} with a timeout waits at most that long, and only the holder
 * may unlock. Run for reentrant and for fair locks, against a real redis-server.
 */
@Tag("integration")
class HoldfastLockRegistryTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private Holdfast clientA;
    private Holdfast clientB;
    private ExecutorService threads;

    @BeforeEach
    void connect() {
        clientA = Holdfast.connect(redis.uri());
        clientB = Holdfast.connect(redis.uri());
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        clientA.close();
        clientB.close();
    }

    private LockRegistry registryA(boolean fair) {
        return new HoldfastLockRegistry(clientA, fair);
    }

    private LockRegistry registryB(boolean fair) {
        return new HoldfastLockRegistry(clientB, fair);
    }

    /** Runs {@code body} on another thread and returns its result. */
    private <T> T onOtherThread(java.util.concurrent.Callable<T> body) throws Exception {
        return threads.submit(body).get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void sameKey_sameLock_reentrantForItsHolder_exclusiveForOthers(boolean fair) throws Exception {
        LockRegistry registry = registryA(fair);
        Lock first = registry.obtain("same");
        Lock second = registry.obtain("same");
        first.lock();
        try {
            assertThat(second.tryLock()).as("the holder takes the same key's lock again").isTrue();
            second.unlock();
            assertThat(onOtherThread(() -> registry.obtain("same").tryLock())).as("another thread").isFalse();
            assertThat(onOtherThread(() -> registry.obtain("other").tryLock())).as("another key").isTrue();
        } finally {
            first.unlock();
        }
        assertThat(onOtherThread(() -> {
            Lock lock = registry.obtain("same");
            boolean got = lock.tryLock();
            lock.unlock();
            return got;
        })).isTrue();
    }

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void exclusiveAcrossTwoRegistriesOfTwoClients(boolean fair) throws Exception {
        Lock a = registryA(fair).obtain("shared");
        a.lock();
        assertThat(onOtherThread(() -> registryB(fair).obtain("shared").tryLock())).isFalse();
        a.unlock();
        assertThat(onOtherThread(() -> {
            Lock b = registryB(fair).obtain("shared");
            boolean got = b.tryLock();
            b.unlock();
            return got;
        })).isTrue();
    }

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void criticalSections_neverOverlap_acrossRegistries(boolean fair) throws Exception {
        List<LockRegistry> registries = List.of(registryA(fair), registryB(fair));
        AtomicBoolean inside = new AtomicBoolean();
        int[] counter = {0};
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            LockRegistry registry = registries.get(w % 2);
            workers.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    Lock lock = registry.obtain("counter");
                    lock.lock();
                    try {
                        assertThat(inside.getAndSet(true)).as("another holder was inside").isFalse();
                        counter[0]++; // deliberately not atomic: only the lock protects it
                        inside.set(false);
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(counter[0]).isEqualTo(200);
    }

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void tryLockWithTimeout_givesUpAfterIt_andGetsALockReleasedWithinIt(boolean fair) throws Exception {
        Lock a = registryA(fair).obtain("timed");
        a.lock();
        long start = System.nanoTime();
        assertThat(onOtherThread(() -> registryB(fair).obtain("timed").tryLock(300, TimeUnit.MILLISECONDS))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

        Future<Boolean> waiting = threads.submit(() -> {
            Lock b = registryB(fair).obtain("timed");
            boolean got = b.tryLock(20, TimeUnit.SECONDS);
            if (got) {
                b.unlock();
            }
            return got;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> clientB.subscribedChannels() == 1);
        a.unlock();
        assertThat(waiting.get(20, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void unlockByANonOwner_throwsIllegalMonitorState_andLeavesTheLockHeld(boolean fair) throws Exception {
        Lock a = registryA(fair).obtain("owned");
        a.lock();
        try {
            assertThat(onOtherThread(() -> {
                try {
                    registryA(fair).obtain("owned").unlock();
                    return null;
                } catch (IllegalMonitorStateException expected) {
                    return expected;
                }
            })).as("another thread of the same client").isInstanceOf(IllegalMonitorStateException.class);
            assertThatThrownBy(() -> registryB(fair).obtain("owned").unlock()).as("another client")
                    .isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("owned");
            assertThat(onOtherThread(() -> registryB(fair).obtain("owned").tryLock())).isFalse();
        } finally {
            a.unlock();
        }
    }

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void executeLocked_runsUnderTheLock_andTimesOutWhenHeldElsewhere(boolean fair) throws Exception {
        LockRegistry registry = registryA(fair);
        String result = registry.executeLocked("task", () -> {
            assertThat(onOtherThread(() -> registryB(fair).obtain("task").tryLock())).isFalse();
            return "ran";
        });
        assertThat(result).isEqualTo("ran");
        assertThat(onOtherThread(() -> {
            Lock b = registryB(fair).obtain("task");
            boolean got = b.tryLock();
            b.unlock();
            return got;
        })).as("released after the task").isTrue();

        Lock b = registryB(fair).obtain("task");
        CompletableFuture<Void> held = CompletableFuture.runAsync(b::lock, threads);
        held.get(10, TimeUnit.SECONDS);
        // b's owner thread is a pool thread that now idles holding it
        assertThatThrownBy(() -> registry.executeLocked("task", Duration.ofMillis(200), () -> { }))
                .isInstanceOf(TimeoutException.class);
    }

    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void keyThatIsNotAString_isRefused(boolean fair) {
        LockRegistry registry = registryA(fair);
        assertThatThrownBy(() -> registry.obtain(42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a String").hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> registry.obtain(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.obtain("")).isInstanceOf(IllegalArgumentException.class);
    }
}
