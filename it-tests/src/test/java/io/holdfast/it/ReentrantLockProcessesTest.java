package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.testkit.ChildJvm;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reentrant lock across real processes: mutual exclusion between child JVMs, and what a
 * holder that is killed or paused leaves behind.
 */
@Tag("integration")
class ReentrantLockProcessesTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration LEASE = Duration.ofMillis(1500);
    /** Scheduling slack on a loaded 2-core machine: a timer tick, a wake-up, a round trip. */
    private static final long SLACK_MS = 1_000;

    @Test
    void fourJvms_incrementACounterUnderTheLock_countIsExact_andNoCriticalSectionsOverlap() {
        int jvms = 4;
        int threads = 3;
        int ops = 60;
        try (WorkerChildren children = WorkerChildren.start(CounterMain.class, jvms,
                i -> new String[] {redis.uri(), "counter", Integer.toString(threads), Integer.toString(ops)})) {
            List<Interval> intervals = WorkerChildren.intervals(children.awaitDone(Duration.ofSeconds(120)));
            int acquisitions = jvms * threads * ops;
            assertThat(intervals).hasSize(acquisitions);
            assertThat(redis.commands().get("counter:counter")).isEqualTo(Integer.toString(acquisitions));
            assertThat(Overlaps.of(intervals).withWrite()).as("critical sections of different holders that overlap").isEmpty();
        }
    }

    @Test
    void aHolderKilledWithKill9_releasesTheLockWithinItsRemainingLease() throws Exception {
        try (ChildJvm child = startHolder("killed");
                Holdfast other = client()) {
            RLock lock = other.getLock("killed");
            // the watchdog keeps the child's hold alive well past one lease
            await().pollInSameThread().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(4)).until(() -> !lock.tryLock());

            child.kill9();
            long killed = System.nanoTime();
            long remaining = redis.commands().pttl(key("killed"));
            assertThat(remaining).as("remaining lease when the holder died").isBetween(1L, LEASE.toMillis());

            assertThat(lock.tryLock(LEASE.toMillis() + 10_000, TimeUnit.MILLISECONDS)).isTrue();
            long waited = millisSince(killed);
            System.out.println("kill -9: remaining lease " + remaining + " ms, lock free again after " + waited + " ms");
            assertThat(waited).as("acquired after the dead holder's remaining lease, plus slack")
                    .isLessThan(remaining + SLACK_MS);
            lock.unlock();
        }
    }

    @Test
    void aHolderPausedLongerThanItsLease_losesTheLock_andIsToldWhenItRunsAgain() throws Exception {
        try (ChildJvm child = startHolder("paused");
                Holdfast other = client()) {
            RLock lock = other.getLock("paused");
            child.pause();
            try {
                assertThat(lock.tryLock(LEASE.toMillis() + 10_000, TimeUnit.MILLISECONDS))
                        .as("the lease ran out while its holder was frozen").isTrue();
            } finally {
                child.resume();
            }
            child.awaitLine("lost"::equals, LEASE.multipliedBy(3));
            child.sendLine("unlock");
            assertThat(child.awaitLine(l -> l.startsWith("unlock"), START))
                    .isEqualTo("unlock-failed " + LockLostException.class.getSimpleName());
            assertThat(lock.isHeldByCurrentThread()).as("the stale holder's unlock took nothing from the new one").isTrue();
            lock.unlock();
        }
    }

    private static ChildJvm startHolder(String name) {
        ChildJvm child = ChildJvm.builder(LockHolderMain.class).arg(redis.uri(), name, Long.toString(LEASE.toMillis())).start();
        child.awaitLine(l -> l.startsWith("locked "), START);
        return child;
    }

    private static Holdfast client() {
        return Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(LEASE).build());
    }

    private static String key(String name) {
        return "holdfast:{" + name + "}";
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
