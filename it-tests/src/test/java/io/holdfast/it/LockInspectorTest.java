package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockInspector;
import io.holdfast.LockState;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LockInspector} against real locks, held and waited for: who holds, how many levels, how
 * much lease, who waits in which order, which process each is; and that it only reads.
 */
@Tag("integration")
class LockInspectorTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Set<String> READS = Set.of("type", "hgetall", "pttl", "get", "time", "zrange", "zscore",
            "hexists", "hget", "scan", "client|list", "info");

    private static Holdfast client() {
        return Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofSeconds(5)).build());
    }

    @Test
    void anExclusiveLock_heldTwice_withTwoQueuedWaiters_showsHolderLevelsLeaseTokenWaitersInOrder_andTheirProcess()
            throws Exception {
        try (Holdfast a = client(); Holdfast b = client(); OwnerThread w1 = new OwnerThread("w1");
                OwnerThread w2 = new OwnerThread("w2"); LockInspector inspector = LockInspector.connect(
                        HoldfastOptions.builder(redis.uri()).build())) {
            RLock lock = a.getLock("orders:42");
            lock.lock();
            lock.lock();
            long token = lock.getFencingToken();
            Future<Boolean> first = w1.submit(() -> b.getLock("orders:42").tryLock(60, TimeUnit.SECONDS));
            await().atMost(WAIT).until(() -> redis.commands().zcard("holdfast:{orders:42}:queue") == 1);
            Future<Boolean> second = w2.submit(() -> a.getLock("orders:42").tryLock(60, TimeUnit.SECONDS));
            await().atMost(WAIT).until(() -> redis.commands().zcard("holdfast:{orders:42}:queue") == 2);

            Map<String, Long> before = CommandStats.read(redis.commands());
            LockState state = inspector.inspect("orders:42").orElseThrow();
            Map<String, Long> delta = CommandStats.delta(before, CommandStats.read(redis.commands()));

            assertThat(state.kind()).isEqualTo("exclusive");
            assertThat(state.mode()).isEqualTo("held");
            assertThat(state.key()).isEqualTo("holdfast:{orders:42}");
            assertThat(state.leaseRemainingMillis()).isBetween(1L, 5_000L);
            assertThat(state.lastFencingToken()).isGreaterThanOrEqualTo(token);
            assertThat(state.holders()).singleElement().satisfies(h -> {
                assertThat(h.holderId()).isEqualTo(a.clientId() + ":" + Thread.currentThread().getId());
                assertThat(h.holdCount()).isEqualTo(2);
                assertThat(h.process().pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(h.process().connectionName()).isEqualTo(a.connectionName());
                assertThat(h.process().connections()).isEqualTo(2);
            });
            assertThat(state.waiters()).extracting(LockState.Waiter::holderId)
                    .containsExactly(b.clientId() + ":" + w1.threadId(), a.clientId() + ":" + w2.threadId());
            assertThat(state.waiters()).extracting(LockState.Waiter::position).containsExactly(1, 2);
            assertThat(state.waiters()).allSatisfy(w -> assertThat(w.deadlineRemainingMillis()).isPositive());
            assertThat(state.waiters().get(0).process().clientId()).isEqualTo(b.clientId());
            assertThat(delta.keySet()).as("read commands only: %s", delta)
                    .isSubsetOf(CommandStats.asCounted(redis.commands(), READS));

            lock.unlock();
            lock.unlock();
            assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            w1.run(() -> b.getLock("orders:42").unlock());
            assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            w2.run(() -> a.getLock("orders:42").unlock());
            assertThat(inspector.inspect("orders:42")).as("free, nobody waiting").isEmpty();
        }
    }

    @Test
    void aReadWriteLock_withTwoReaders_andAWaitingWriter_showsReadModeHoldersAndTheWriter() throws Exception {
        try (Holdfast a = client(); Holdfast b = client(); OwnerThread reader = new OwnerThread("reader");
                OwnerThread writer = new OwnerThread("writer")) {
            RReadWriteLock rw = a.getReadWriteLock("config");
            rw.readLock().lock();
            reader.run(() -> b.getReadWriteLock("config").readLock().lock());
            Future<Boolean> writing = writer.submit(() -> b.getReadWriteLock("config").writeLock().tryLock(60, TimeUnit.SECONDS));
            await().atMost(WAIT).until(() -> redis.commands().zcard("holdfast:{config}:intents") == 1);

            LockState state = a.inspector().inspect("config").orElseThrow();
            assertThat(state.kind()).isEqualTo("read-write");
            assertThat(state.mode()).isEqualTo("read");
            assertThat(state.holders()).extracting(LockState.Holder::role).containsOnly("read");
            assertThat(state.holders()).extracting(LockState.Holder::holderId).containsExactlyInAnyOrder(
                    a.clientId() + ":" + Thread.currentThread().getId(), b.clientId() + ":" + reader.threadId());
            assertThat(state.holders()).allSatisfy(h -> assertThat(h.leaseRemainingMillis()).isPositive());
            assertThat(state.waitingWriters()).singleElement().satisfies(w ->
                    assertThat(w.holderId()).isEqualTo(b.clientId() + ":" + writer.threadId()));

            rw.readLock().unlock();
            reader.run(() -> b.getReadWriteLock("config").readLock().unlock());
            assertThat(writing.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(a.inspector().inspect("config").orElseThrow().mode()).isEqualTo("write");
            writer.run(() -> b.getReadWriteLock("config").writeLock().unlock());
        }
    }

    @Test
    void threadsAwaitingAConditionOfAFreeLock_areListedUnderTheirCondition_firstToBeSignalledFirst() throws Exception {
        try (Holdfast a = client(); OwnerThread first = new OwnerThread("first"); OwnerThread second = new OwnerThread("second")) {
            RLock lock = a.getLock("jobs");
            Future<Boolean> f1 = first.submit(() -> awaitReady(lock));
            await().atMost(WAIT).until(() -> redis.commands().zcard("holdfast:{jobs}:condition:ready") == 1);
            Future<Boolean> f2 = second.submit(() -> awaitReady(lock));
            await().atMost(WAIT).until(() -> redis.commands().zcard("holdfast:{jobs}:condition:ready") == 2
                    && redis.commands().exists("holdfast:{jobs}") == 0);

            LockState state = a.inspector().inspect("jobs").orElseThrow();
            assertThat(state.kind()).isEqualTo("free");
            assertThat(state.holders()).isEmpty();
            assertThat(state.conditions()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("ready");
                assertThat(c.waiters()).extracting(w -> w.holderId().substring(0, w.holderId().lastIndexOf(':')))
                        .containsExactly(a.clientId() + ":" + first.threadId(), a.clientId() + ":" + second.threadId());
                assertThat(c.waiters()).allSatisfy(w -> {
                    assertThat(w.deadlineRemainingMillis()).isPositive();
                    assertThat(w.process().pid()).isEqualTo(ProcessHandle.current().pid());
                });
            });
            lock.lock();
            try {
                lock.newCondition("ready").signalAll();
            } finally {
                lock.unlock();
            }
            assertThat(f1.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(f2.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(a.inspector().inspect("jobs")).isEmpty();
        }
    }

    private static boolean awaitReady(RLock lock) throws InterruptedException {
        lock.lock();
        try {
            return lock.newCondition("ready").await(60, TimeUnit.SECONDS);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void scan_findsLocksByPattern_withScanNotKeys_andLeavesOutTheirOtherKeys() throws Exception {
        try (Holdfast a = client(); OwnerThread waiter = new OwnerThread("waiter");
                LockInspector inspector = LockInspector.connect(HoldfastOptions.builder(redis.uri()).build())) {
            a.getLock("orders:1").lock();
            a.getLock("orders:2").lock();
            a.getLock("{orders}:tagged").lock();
            a.getLock("users:1").lock();
            a.getReadWriteLock("orders:rw").readLock().lock();
            Future<Boolean> queued = waiter.submit(() -> a.getLock("orders:1").tryLock(60, TimeUnit.SECONDS));
            await().atMost(WAIT).until(() -> redis.commands().exists("holdfast:{orders:1}:queue") == 1);

            Map<String, Long> before = CommandStats.read(redis.commands());
            List<LockState> found = inspector.scan("orders:*", 100);
            Map<String, Long> delta = CommandStats.delta(before, CommandStats.read(redis.commands()));
            assertThat(found).extracting(LockState::name).containsExactlyInAnyOrder("orders:1", "orders:2", "orders:rw");
            assertThat(delta).containsKey("scan").doesNotContainKey("keys");
            assertThat(inspector.scan("{orders}*", 100)).extracting(LockState::name).contains("{orders}:tagged");
            assertThat(inspector.scan("*", 2)).hasSize(2);
            queued.cancel(true); // interrupts the waiter: it leaves the queue, nothing held
        }
    }
}
