package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.ChildJvm;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServer;
import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The distributed {@link Condition} contract ({@code RLock.newCondition}), against a real Redis, for
 * every lock kind that has conditions: subclasses say how to get a lock of their kind, and a
 * topology's subclasses (Cluster, Sentinels) where the clients connect ({@link #topology()}, as in
 * {@link RLockContract}).
 */
abstract class ConditionContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    static final Duration LEASE = Duration.ofMillis(900);
    /** Short, so that a dead waiter is dead within a test. */
    static final Duration WAITER_TIMEOUT = Duration.ofMillis(1_000);
    static final Duration WAIT = Duration.ofSeconds(20);

    protected Holdfast a;
    protected Holdfast b;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** The lock of this kind called {@code name}, from {@code client}. */
    protected abstract RLock lockOf(Holdfast client, String name);

    /**
     * Where the clients connect and the suite looks: the test's redis-server; a topology's condition
     * test (through Sentinels, on a Cluster) returns its extension.
     */
    protected ContractTopology topology() {
        return new ContractTopology() {
            @Override
            public String uri() {
                return redis.uri();
            }

            @Override
            public RedisServer server() {
                return redis.server();
            }
        };
    }

    /** The server that holds lock {@code lock}'s keys now (on a Cluster, the master of its slot). */
    protected RedisCommands<String, String> on(String lock) {
        return topology().serverOf("holdfast:{" + lock + "}").commands();
    }

    @BeforeEach
    void connect() {
        a = client();
        b = client();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private Holdfast client() {
        Holdfast h = Holdfast.connect(HoldfastOptions.builder(topology().uri()).watchdogLease(LEASE)
                .fairWaiterTimeout(WAITER_TIMEOUT).build());
        closeables.add(h);
        return h;
    }

    private OwnerThread thread(String name) {
        OwnerThread t = new OwnerThread(name);
        closeables.add(t);
        return t;
    }

    private static String queueKey(String lock, String condition) {
        return "holdfast:{" + lock + "}:condition:" + condition;
    }

    /** Waiters registered on the server for this condition now. */
    private long waiters(String lock, String condition) {
        return on(lock).zcard(queueKey(lock, condition));
    }

    /** Signals from client {@code c} while holding the lock, as the contract requires. */
    private void signal(Holdfast c, String lock, String condition, boolean all) {
        RLock l = lockOf(c, lock);
        l.lock();
        try {
            if (all) {
                l.newCondition(condition).signalAll();
            } else {
                l.newCondition(condition).signal();
            }
        } finally {
            l.unlock();
        }
    }

    @Test
    void everyMethod_withoutTheLock_throwsIllegalMonitorState_andChangesNothing() {
        Condition c = lockOf(a, "unheld").newCondition();
        assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::awaitUninterruptibly).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> c.awaitNanos(1_000)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> c.await(1, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> c.awaitUntil(new Date(System.currentTimeMillis() + 1_000)))
                .isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signalAll).isInstanceOf(IllegalMonitorStateException.class);
        // held by another client: not by the calling thread
        lockOf(b, "unheld").lock();
        assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(on("unheld").keys("*condition*")).isEmpty();
    }

    @Test
    void newCondition_badNames_areRefused_andTheDefaultIsNamedDefault() {
        RLock lock = lockOf(a, "names");
        assertThatThrownBy(() -> lock.newCondition(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> lock.newCondition("")).isInstanceOf(IllegalArgumentException.class);
        // lock "names"'s condition "x}" would have the key of lock "names}:condition:x"
        assertThatThrownBy(() -> lock.newCondition("x}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another lock's key");
        assertThat(lock.newCondition().toString()).contains(RLock.DEFAULT_CONDITION);
    }

    @Test
    void await_releasesEveryLevel_andTakesAsManyAgain_afterASignalFromAnotherClient() throws Exception {
        OwnerThread waiter = thread("waiter");
        RLock lock = lockOf(a, "levels");
        Future<Integer> levelsAfter = waiter.submit(() -> {
            lock.lock();
            lock.lock();
            lock.lock();
            lock.newCondition().await();
            return lock.getHoldCount();
        });
        await().atMost(WAIT).until(() -> waiters("levels", "default") == 1);
        RLock other = lockOf(b, "levels");
        assertThat(other.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("every level was released").isTrue();
        other.newCondition().signal();
        assertThat(levelsAfter.isDone()).as("the waiter cannot return while the signaller holds the lock").isFalse();
        other.unlock();
        assertThat(levelsAfter.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(waiter.call(lock::isHeldByCurrentThread)).isTrue();
        waiter.run(() -> {
            lock.unlock();
            lock.unlock();
            lock.unlock();
        });
        assertThat(lock.isLocked()).isFalse();
        assertThat(on("levels").exists(queueKey("levels", "default"))).isZero();
    }

    @Test
    void signal_wakesTheLongestWaiting_only_andSignalAll_wakesEveryOther() throws Exception {
        OwnerThread first = thread("first");
        OwnerThread second = thread("second");
        OwnerThread third = thread("third");
        Future<?> f1 = awaitOn(first, lockOf(a, "one"));
        await().atMost(WAIT).until(() -> waiters("one", "default") == 1);
        Future<?> f2 = awaitOn(second, lockOf(b, "one"));
        await().atMost(WAIT).until(() -> waiters("one", "default") == 2);
        Future<?> f3 = awaitOn(third, lockOf(a, "one"));
        await().atMost(WAIT).until(() -> waiters("one", "default") == 3);

        signal(b, "one", "default", false);
        f1.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(waiters("one", "default")).as("one signal, one waiter gone").isEqualTo(2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> !f2.isDone() && !f3.isDone());

        signal(a, "one", "default", true);
        f2.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        f3.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(on("one").exists(queueKey("one", "default"))).isZero();
    }

    /** Starts {@code lock(); newCondition().await(); unlock()} on {@code t}. */
    private static Future<?> awaitOn(OwnerThread t, RLock lock) {
        return t.submit(() -> {
            lock.lock();
            try {
                lock.newCondition().await();
            } finally {
                lock.unlock();
            }
            return null;
        });
    }

    @Test
    void signal_withNobodyWaiting_doesNothing_andIsNotKept() throws Exception {
        signal(a, "nobody", "default", false);
        signal(a, "nobody", "default", true);
        RLock lock = lockOf(a, "nobody");
        lock.lock();
        try {
            assertThat(lock.newCondition().await(200, TimeUnit.MILLISECONDS)).as("an earlier signal is not kept").isFalse();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void timedForms_timeOut_returnFalseOrNonPositive_andHoldTheLevelsAgain() throws Exception {
        RLock lock = lockOf(a, "timed");
        lock.lock();
        lock.lock();
        try {
            Condition c = lock.newCondition();
            long start = System.nanoTime();
            long left = c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(300));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(left).isLessThanOrEqualTo(0);
            assertThat(took).isGreaterThanOrEqualTo(290);
            assertThat(lock.getHoldCount()).isEqualTo(2);
            assertThat(c.await(200, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(c.awaitUntil(new Date(System.currentTimeMillis() + 200))).isFalse();
            assertThat(c.awaitUntil(new Date(System.currentTimeMillis() - 1_000))).as("a past deadline").isFalse();
            assertThat(c.await(-5, TimeUnit.SECONDS)).as("a negative wait").isFalse();
            assertThat(lock.getHoldCount()).isEqualTo(2);
            assertThat(lock.currentLease().orElseThrow().isRenewed()).as("a watchdog hold is one again").isTrue();
            assertThat(waiters("timed", "default")).as("timed-out waiters left").isZero();
        } finally {
            lock.unlock();
            lock.unlock();
        }
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void timedAwait_signalledInTime_returnsTrue_andAPositiveRemainder() throws Exception {
        OwnerThread waiter = thread("waiter");
        RLock lock = lockOf(a, "timedsignal");
        Future<Long> left = waiter.submit(() -> {
            lock.lock();
            try {
                return lock.newCondition().awaitNanos(TimeUnit.SECONDS.toNanos(60));
            } finally {
                lock.unlock();
            }
        });
        await().atMost(WAIT).until(() -> waiters("timedsignal", "default") == 1);
        signal(b, "timedsignal", "default", false);
        assertThat(left.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isPositive();
        Future<Boolean> got = waiter.submit(() -> {
            lock.lock();
            try {
                return lock.newCondition().await(60, TimeUnit.SECONDS);
            } finally {
                lock.unlock();
            }
        });
        await().atMost(WAIT).until(() -> waiters("timedsignal", "default") == 1);
        signal(b, "timedsignal", "default", false);
        assertThat(got.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void await_interrupted_throwsInterruptedException_withTheLockHeldAgain_andTheFlagCleared() throws Exception {
        OwnerThread waiter = thread("waiter");
        RLock lock = lockOf(a, "interrupt");
        Thread[] t = new Thread[1];
        Future<String> outcome = waiter.submit(() -> {
            t[0] = Thread.currentThread();
            lock.lock();
            lock.lock();
            try {
                lock.newCondition().await();
                return "returned";
            } catch (InterruptedException e) {
                return "interrupted, levels " + lock.getHoldCount() + ", flag " + Thread.currentThread().isInterrupted();
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        await().atMost(WAIT).until(() -> waiters("interrupt", "default") == 1);
        t[0].interrupt();
        assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted, levels 2, flag false");
        assertThat(waiters("interrupt", "default")).isZero();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void await_interruptedOnEntry_throwsAtOnce_withoutReleasing() {
        RLock lock = lockOf(a, "entry");
        lock.lock();
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> lock.newCondition().await()).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
            assertThat(lock.currentLease().orElseThrow().fencingToken()).as("the same hold").isPositive();
            assertThat(waiters("entry", "default")).isZero();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void awaitUninterruptibly_ignoresAnInterrupt_untilSignalled_andKeepsTheFlag() throws Exception {
        OwnerThread waiter = thread("waiter");
        RLock lock = lockOf(a, "uninterruptible");
        Thread[] t = new Thread[1];
        Future<Boolean> flag = waiter.submit(() -> {
            t[0] = Thread.currentThread();
            lock.lock();
            try {
                lock.newCondition().awaitUninterruptibly();
                return Thread.interrupted();
            } finally {
                lock.unlock();
            }
        });
        await().atMost(WAIT).until(() -> waiters("uninterruptible", "default") == 1);
        t[0].interrupt();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !flag.isDone());
        assertThat(waiters("uninterruptible", "default")).isEqualTo(1);
        signal(b, "uninterruptible", "default", false);
        assertThat(flag.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("interrupt status kept").isTrue();
    }

    @Test
    void namedConditions_areOneAcrossClients_andIndependentByName() throws Exception {
        OwnerThread waiter = thread("waiter");
        RLock lock = lockOf(a, "named");
        Future<Boolean> got = waiter.submit(() -> {
            lock.lock();
            try {
                return lock.newCondition("notEmpty").await(60, TimeUnit.SECONDS);
            } finally {
                lock.unlock();
            }
        });
        await().atMost(WAIT).until(() -> waiters("named", "notEmpty") == 1);
        signal(b, "named", "notFull", true);
        signal(b, "named", RLock.DEFAULT_CONDITION, true);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !got.isDone());
        signal(b, "named", "notEmpty", false);
        assertThat(got.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closingTheClient_endsAnAwaitAtOnce_withIllegalStateException() throws Exception {
        Holdfast closing = client();
        OwnerThread waiter = thread("waiter");
        RLock lock = lockOf(closing, "closing");
        Future<Object> outcome = waiter.submit(() -> {
            lock.lock();
            try {
                lock.newCondition().await(); // no time limit: only the close can end it
                return "returned";
            } catch (IllegalStateException e) {
                return e;
            }
        });
        await().atMost(WAIT).until(() -> waiters("closing", "default") == 1 && !lockOf(a, "closing").isLocked());
        closing.close();
        assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .asString().contains("closed");
    }

    @Test
    void aSignalWhoseMessageWasLost_stillWakesTheWaiter() throws Exception {
        OwnerThread waiter = thread("waiter");
        RLock lock = lockOf(a, "lostmessage");
        Future<Boolean> got = waiter.submit(() -> {
            lock.lock();
            try {
                return lock.newCondition().await(60, TimeUnit.SECONDS);
            } finally {
                lock.unlock();
            }
        });
        await().atMost(WAIT).until(() -> waiters("lostmessage", "default") == 1);
        // what a signal does on the server, without its message
        String id = on("lostmessage").zrange(queueKey("lostmessage", "default"), 0, 0).get(0);
        on("lostmessage").zrem(queueKey("lostmessage", "default"), id);
        on("lostmessage").zrem("holdfast:{lostmessage}:condition-deadlines:default", id);
        assertThat(got.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaiterKilledWithKill9_isSkippedBySignal_andTheLiveWaiterGetsIt() throws Exception {
        try (ChildJvm child = ChildJvm.builder(ConditionWaiterMain.class)
                .arg(topology().uri(), "dead", Long.toString(WAITER_TIMEOUT.toMillis())).start()) {
            child.awaitLine("awaiting"::equals, Duration.ofSeconds(60));
            // registered, then released: killed while waiting (not while still holding the lock)
            await().atMost(WAIT).until(() -> waiters("dead", "default") == 1
                    && on("dead").exists("holdfast:{dead}") == 0);
            child.kill9();
            OwnerThread waiter = thread("waiter");
            RLock lock = lockOf(a, "dead");
            Future<Boolean> got = waiter.submit(() -> {
                lock.lock();
                try {
                    return lock.newCondition().await(60, TimeUnit.SECONDS);
                } finally {
                    lock.unlock();
                }
            });
            await().atMost(WAIT).until(() -> waiters("dead", "default") == 2);
            String dead = on("dead").zrange(queueKey("dead", "default"), 0, 0).get(0);
            // the dead waiter's deadline passes in server time (nobody renews it any more)
            await().atMost(WAIT).until(() -> on("dead").zscore("holdfast:{dead}:condition-deadlines:default", dead)
                    < serverMillis(on("dead")));
            signal(b, "dead", "default", false);
            assertThat(got.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the one signal went to the live waiter").isTrue();
            assertThat(on("dead").exists(queueKey("dead", "default"))).as("the dead entry was dropped").isZero();
        }
    }

    private static long serverMillis(RedisCommands<String, String> server) {
        List<String> time = server.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
