package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServerExtension;
import io.holdfast.testkit.VirtualThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Virtual-thread callers, run only by {@link VirtualThreadContractMain} on Java 21+ (its name is
 * not a test class name, so the Java 17 build's surefire does not pick it up): 10,000 virtual
 * threads contend on four locks from two clients and every critical section runs alone, counted
 * exactly.
 */
class VirtualThreadCounterCheck {

    static final int THREADS = 10_000;
    static final int LOCKS = 4;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void ownerThreads_areVirtual() throws Exception {
        try (OwnerThread t = new OwnerThread("probe")) {
            assertThat(t.call(() -> VirtualThreads.isVirtual(Thread.currentThread()))).isTrue();
        }
    }

    @Test
    void tenThousandVirtualThreads_onFourLocks_countExactly() throws Exception {
        AtomicInteger[] counts = new AtomicInteger[LOCKS];
        AtomicInteger[] inside = new AtomicInteger[LOCKS];
        AtomicInteger overlaps = new AtomicInteger();
        for (int i = 0; i < LOCKS; i++) {
            counts[i] = new AtomicInteger();
            inside[i] = new AtomicInteger();
        }
        try (Holdfast a = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build());
                Holdfast b = Holdfast.connect(HoldfastOptions.builder(redis.uri()).build())) {
            ExecutorService threads = VirtualThreads.perTaskExecutor();
            List<Future<?>> done = new ArrayList<>(THREADS);
            for (int i = 0; i < THREADS; i++) {
                int n = i % LOCKS;
                RLock lock = (i % 2 == 0 ? a : b).getLock("vt-counter-" + n);
                done.add(threads.submit(() -> {
                    lock.lock();
                    try {
                        if (inside[n].incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        counts[n].incrementAndGet();
                        inside[n].decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).as("critical sections that overlapped").hasValue(0);
            for (int i = 0; i < LOCKS; i++) {
                assertThat(counts[i]).as("lock %d", i).hasValue(THREADS / LOCKS);
            }
            assertThat(a.holdCount() + b.holdCount()).isZero();
            assertThat(a.renewalCount() + b.renewalCount()).isZero();
        }
        System.out.println("counter: " + THREADS + " virtual threads on " + LOCKS + " locks, "
                + THREADS + " critical sections counted, none overlapped");
    }
}
