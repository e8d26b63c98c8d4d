package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.HdrHistogram.Histogram;

/**
 * Client A holds the lock for a while; client B (another client instance) is waiting in
 * {@code lock()}. Measured: from A's {@code unlock()} call to B's {@code lock()} return.
 */
final class HandoffScenario implements Scenario {

    private final int holdMillis;

    HandoffScenario(int holdMillis) {
        this.holdMillis = holdMillis;
    }

    @Override
    public int rounds(Settings settings) {
        return settings.latencyRounds();
    }

    @Override
    public List<Library> libraries() {
        return PEERS;
    }

    @Override
    public String id() {
        return "handoff-" + holdMillis + "ms";
    }

    @Override
    public String description() {
        return "A holds the lock " + holdMillis + " ms while B (another client instance) waits in `lock()`; "
                + "handoff = from A's `unlock()` call to B's `lock()` return.";
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        try (LockClient a = library.connect(bench.uri(), DEFAULT_LEASE);
                LockClient b = library.connect(bench.uri(), DEFAULT_LEASE)) {
            Lock lockA = a.lock("bench:handoff");
            Lock lockB = b.lock("bench:handoff");
            int warmup = Math.max(2, bench.settings().handoffSamples() / 10);
            measure(lockA, lockB, warmup);
            Histogram h = measure(lockA, lockB, bench.settings().handoffSamples());
            return new Measurement().latency("handoff", h).put("samples", h.getTotalCount());
        }
    }

    private Histogram measure(Lock lockA, Lock lockB, int samples) throws InterruptedException {
        Histogram h = Load.histogram();
        SynchronousQueue<Boolean> go = new SynchronousQueue<>();
        SynchronousQueue<Long> done = new SynchronousQueue<>();
        long[] unlockCalledAt = new long[1];
        Thread waiter = new Thread(() -> waitInTurn(lockB, go, done, unlockCalledAt), "bench-handoff-B");
        waiter.setDaemon(true);
        waiter.start();
        try {
            for (int i = 0; i < samples; i++) {
                lockA.lock();
                go.put(Boolean.TRUE);           // B starts waiting now
                Thread.sleep(holdMillis);       // the critical section
                synchronized (unlockCalledAt) {
                    unlockCalledAt[0] = System.nanoTime();
                }
                lockA.unlock();
                Long handoff = done.poll(60, TimeUnit.SECONDS);
                if (handoff == null) {
                    throw new IllegalStateException("B did not get the lock within 60 s");
                }
                Load.record(h, handoff);
            }
        } finally {
            waiter.interrupt();
        }
        return h;
    }

    private static void waitInTurn(Lock lock, SynchronousQueue<Boolean> go, SynchronousQueue<Long> done, long[] unlockCalledAt) {
        try {
            while (true) {
                go.take();
                lock.lock();
                long got = System.nanoTime();
                long calledAt;
                synchronized (unlockCalledAt) {
                    calledAt = unlockCalledAt[0];
                }
                lock.unlock();
                done.put(got - calledAt);
            }
        } catch (InterruptedException e) {
            // finished
        }
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.ratioAtMost("p50 <= 0.75x Redisson", "handoff p50 ms", 0.75),
                Target.ratioAtMost("p99 <= 0.6x Redisson", "handoff p99 ms", 0.6));
    }

    @Override
    public String charted() {
        return "handoff";
    }
}
