package io.holdfast.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Runs groups of threads, each repeating one operation until a deadline, and gathers per group the
 * number of operations and the latencies the operations recorded. All threads start together.
 */
final class Load {

    /** Longest latency recorded; anything slower is clamped to it. */
    static final long MAX_NANOS = Duration.ofSeconds(120).toNanos();

    private Load() {
    }

    /** One operation; records what it wants timed (e.g. only the wait for the lock) in {@code latency}. */
    @FunctionalInterface
    interface Op {
        void run(Histogram latency) throws Exception;
    }

    /** {@code threads} threads; thread {@code i} repeats {@code ops.apply(i)}. */
    record Group(String name, int threads, IntFunction<Op> ops) {
    }

    /** Operations and latencies per group name, over {@code seconds}. */
    record Result(double seconds, Map<String, Long> ops, Map<String, Histogram> latency) {
        double perSecond(String group) {
            return ops.get(group) / seconds;
        }
    }

    static Histogram histogram() {
        return new Histogram(MAX_NANOS, 3);
    }

    static void record(Histogram h, long nanos) {
        h.recordValue(Math.min(Math.max(0, nanos), MAX_NANOS));
    }

    /** Runs every group for {@code duration}; rethrows the first failure of any thread. */
    static Result run(Duration duration, List<Group> groups) throws InterruptedException {
        int total = groups.stream().mapToInt(Group::threads).sum();
        CyclicBarrier start = new CyclicBarrier(total + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] startedAt = new long[1];
        List<Thread> threads = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Group g : groups) {
            for (int i = 0; i < g.threads(); i++) {
                Op op = g.ops().apply(i);
                long[] count = new long[1];
                Histogram h = histogram();
                counts.add(count);
                histograms.add(h);
                names.add(g.name());
                Thread t = new Thread(() -> loop(op, h, count, start, startedAt, duration, failure),
                        "bench-" + g.name() + "-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
        await(start);
        startedAt[0] = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - startedAt[0]) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a load thread failed", failure.get());
        }
        Map<String, Long> ops = new LinkedHashMap<>();
        Map<String, Histogram> latency = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            ops.merge(names.get(i), counts.get(i)[0], Long::sum);
            latency.computeIfAbsent(names.get(i), k -> histogram()).add(histograms.get(i));
        }
        return new Result(seconds, ops, latency);
    }

    private static void loop(Op op, Histogram h, long[] count, CyclicBarrier start, long[] startedAt,
            Duration duration, AtomicReference<Throwable> failure) {
        try {
            await(start);
            long deadline = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < deadline && failure.get() == null) {
                op.run(h);
                count[0]++;
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
