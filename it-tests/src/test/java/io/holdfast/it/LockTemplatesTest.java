package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code runLocked}, {@code callLocked}, {@code tryRunLocked}: the action runs holding the lock, the
 * unlock is in a finally. {@code tryRunJob}: the "at most / at least" hold of scheduled jobs, and the
 * {@code unlockAfter} it is built on, across two clients.
 */
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

    // --- tryRunJob: at most / at least, and unlockAfter that it is built on ---

    @Test
    void aFinishedJob_keepsItsLockUntilAtLeastFor_soNoOtherNodeRunsItAgainBefore() throws Exception {
        Duration atLeast = Duration.ofMillis(1_500);
        AtomicInteger runs = new AtomicInteger();
        long before = System.nanoTime();
        assertThat(a.getLock("report").tryRunJob(Duration.ofSeconds(30), atLeast, runs::incrementAndGet)).isTrue();
        assertThat(redis.server().commands().pttl(key("report"))).as("lease cut to what is left of atLeastFor")
                .isBetween(1L, atLeast.toMillis());
        assertThat(a.holdCount() + a.renewalCount()).isZero();
        assertThat(b.getLock("report").tryRunJob(Duration.ofSeconds(30), atLeast, runs::incrementAndGet)).isFalse();
        assertThat(a.getLock("report").tryRunJob(Duration.ofSeconds(30), atLeast, runs::incrementAndGet))
                .as("the same node and thread do not run it again either").isFalse();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> b.getLock("report").tryRunJob(Duration.ofSeconds(30), Duration.ZERO, runs::incrementAndGet));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).as("ms until the second run")
                .isGreaterThanOrEqualTo(atLeast.toMillis());
        assertThat(runs).hasValue(2);
        assertThat(a.getLock("report").isLocked()).as("atLeastFor zero: unlocked when the job ended").isFalse();
    }

    @Test
    void aHungJob_losesItsLockAtAtMostFor_andIsToldSoWhenItEnds() throws Exception {
        CountDownLatch hung = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (OwnerThread node1 = new OwnerThread("node1")) {
            Future<Boolean> first = node1.submit(() -> a.getLock("sweep").tryRunJob(Duration.ofMillis(800),
                    Duration.ofMillis(100), () -> {
                        started.countDown();
                        awaitQuietly(hung);
                    }));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.getLock("sweep").tryRunJob(Duration.ofSeconds(5), Duration.ZERO, () -> { })).isFalse();
            AtomicInteger second = new AtomicInteger();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> b.getLock("sweep").tryRunJob(Duration.ofSeconds(5), Duration.ZERO, second::incrementAndGet));
            assertThat(second).as("ran while the first job still hangs").hasValue(1);
            assertThat(first).isNotDone();
            hung.countDown();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LockLostException.class);
        }
        assertThat(a.holdCount() + a.renewalCount()).isZero();
    }

    @Test
    void unlockAfter_endsTheHoldNow_andFreesTheLockAfterTheDelay_forTheFairLockToo() throws Exception {
        for (String kind : new String[] {"reentrant", "fair"}) {
            RLock lock = kind.equals("fair") ? a.getFairLock("later-" + kind) : a.getLock("later-" + kind);
            lock.lock();
            lock.unlockAfter(400, TimeUnit.MILLISECONDS);
            assertThat(lock.isLocked()).as(kind).isTrue();
            assertThat(lock.isHeldByCurrentThread()).as(kind).isFalse();
            assertThat(a.holdCount() + a.renewalCount()).as(kind).isZero();
            assertThatThrownBy(lock::unlock).as(kind).isInstanceOf(IllegalMonitorStateException.class);
            assertThat(lock.tryLock()).as(kind + ": not even this thread before the delay").isFalse();
            RLock other = kind.equals("fair") ? b.getFairLock("later-" + kind) : b.getLock("later-" + kind);
            assertThat(other.tryLock(10, TimeUnit.SECONDS)).as(kind).isTrue();
            other.unlock();
        }
    }

    @Test
    void unlockAfter_canLengthenTheLease_andForceUnlockStillFreesIt() {
        RLock lock = a.getLock("longer");
        lock.lock(500, TimeUnit.MILLISECONDS);
        lock.unlockAfter(60, TimeUnit.SECONDS);
        assertThat(redis.server().commands().pttl(key("longer"))).isGreaterThan(30_000L);
        assertThat(b.getLock("longer").forceUnlock()).isTrue();
        assertThat(b.getLock("longer").tryLock()).isTrue();
    }

    @Test
    void badInput_andMisuse_areRefusedWithClearErrors() throws Exception {
        RLock lock = a.getLock("misuse");
        assertThatThrownBy(() -> lock.tryRunJob(Duration.ofSeconds(1), Duration.ofSeconds(2), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("atLeastFor");
        assertThatThrownBy(() -> lock.tryRunJob(Duration.ofMillis(10), Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("atMostFor");
        assertThatThrownBy(() -> lock.tryRunJob(Duration.ofSeconds(1), Duration.ofMillis(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lock.unlockAfter(1, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("misuse");
        lock.lock();
        lock.lock();
        assertThatThrownBy(() -> lock.unlockAfter(1, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("2 levels");
        assertThatThrownBy(() -> lock.unlockAfter(0, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
        lock.unlock();
        lock.unlock();
        RLock read = a.getReadWriteLock("misuse-rw").readLock();
        read.lock();
        assertThatThrownBy(() -> read.unlockAfter(1, TimeUnit.SECONDS)).isInstanceOf(UnsupportedOperationException.class);
        read.unlock();
        assertThat(lock.isLocked()).isFalse();
        assertThat(read.isLocked()).isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String key(String name) {
        return "holdfast:{" + name + "}";
    }
}
