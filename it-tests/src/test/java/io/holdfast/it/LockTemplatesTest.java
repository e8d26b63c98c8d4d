package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code runLocked}, {@code callLocked}, {@code tryRunLocked}: the action runs holding the lock, the unlock is in a finally. */
@Tag("integration")
class LockTemplatesTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private Holdfast a;
    private Holdfast b;

    @BeforeEach
    void connect() {
        a = Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofSeconds(5)).build());
        b = Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void runLocked_runsHoldingTheLock_andReleasesIt_nestedToo() {
        RLock lock = a.getLock("run");
        AtomicBoolean held = new AtomicBoolean();
        lock.runLocked(() -> {
            held.set(lock.isHeldByCurrentThread() && !b.getLock("run").tryLock());
            lock.runLocked(() -> assertThat(lock.getHoldCount()).isEqualTo(2));
            assertThat(lock.getHoldCount()).isEqualTo(1);
        });
        assertThat(held).isTrue();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void callLocked_returnsTheResult_andACheckedExceptionPropagates_withTheLockReleased() throws Exception {
        RLock lock = a.getLock("call");
        assertThat(lock.callLocked(lock::getHoldCount)).isEqualTo(1);
        assertThatThrownBy(() -> lock.callLocked(() -> {
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(lock.isLocked()).isFalse();
        Callable<String> callable = () -> "from a Callable";
        assertThat(lock.callLocked(callable::call)).isEqualTo("from a Callable");
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aLeaseLostWhileTheActionRan_isThrownByTheUnlock_orSuppressedInTheActionsOwnException() {
        RLock lock = a.getLock("lost");
        assertThatThrownBy(() -> lock.runLocked(() -> b.getLock("lost").forceUnlock()))
                .as("the action completed, not surely alone").isInstanceOf(LockLostException.class);
        assertThatThrownBy(() -> lock.runLocked(() -> {
            b.getLock("lost").forceUnlock();
            throw new IllegalStateException("action failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("action failed")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(LockLostException.class));
        assertThat(a.holdCount()).isZero();
    }

    @Test
    void tryRunLocked_busy_returnsFalseWithoutRunning_free_runsAndReturnsTrue() throws Exception {
        RLock busy = b.getLock("try");
        busy.lock();
        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();
        assertThat(a.getLock("try").tryRunLocked(200, TimeUnit.MILLISECONDS, () -> ran.set(true))).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(190);
        assertThat(ran).isFalse();
        busy.unlock();
        assertThat(a.getLock("try").tryRunLocked(1, TimeUnit.SECONDS, () -> ran.set(true))).isTrue();
        assertThat(ran).isTrue();
        assertThat(a.getLock("try").isLocked()).isFalse();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> a.getLock("try").tryRunLocked(1, TimeUnit.SECONDS, () -> ran.set(false)))
                .isInstanceOf(InterruptedException.class);
        assertThat(ran).isTrue();
        assertThatThrownBy(() -> a.getLock("try").runLocked(null)).isInstanceOf(NullPointerException.class);
        assertThat(a.getLock("try").isLocked()).isFalse();
    }
}
