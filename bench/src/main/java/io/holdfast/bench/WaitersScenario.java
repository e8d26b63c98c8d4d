package io.holdfast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.HdrHistogram.Histogram;

/**
 * Waiters on one lock, 1 to 10,000 threads spread over up to {@value #MAX_CLIENTS} client
 * instances: what waiting costs Redis per waiter, and what a hand-over costs as the queue grows.
 *
 * <p>Per size: a holder (a client of its own) takes the lock; the waiter threads enter
 * {@code lock()}; once the server is quiet (every waiter has made its attempts) the bench counts
 * Redis commands for a window while they wait (refreshes), then the holder unlocks and the waiters
 * drain the queue one by one, each unlocking as soon as it holds the lock. The INFO delta from the
 * holder's {@code unlock()} to the moment the last waiter holds the lock, divided by the number of
 * waiters, is the exact count of Redis commands per hand-over (refreshes of the waiters still
 * queued included). Hand-over latency: from one holder's {@code unlock()} call to the next
 * holder's {@code lock()} return.
 *
 * <p>Holdfast's waiters refresh their places all along (each once per third of its waiter timeout,
 * {@code renew-places.lua}), so a long drain (10,000 waiters) counts many refreshes with its
 * hand-overs. To tell the two apart, Holdfast runs each size a second time with {@code MONITOR} on
 * during the drain (a cost pass, never timed), which attributes every command to the script call
 * that ran it: commands per hand-over without the refresh calls, and commands per refreshed waiter
 * (a refresh call renews a batch of waiters, one {@code ARGV} entry each).
 */
final class WaitersScenario implements ScalingScenario {

    static final String HANDOVER_COMMANDS = "Redis commands per hand-over";
    static final String HANDOVER_CPU = "Redis CPU µs per hand-over";
    static final String REFRESH_COMMANDS = "Redis commands per waiter refresh";
    static final String NET_HANDOVER_COMMANDS = "Holdfast: Redis commands per hand-over, refresh calls taken out (MONITOR)";
    static final String PER_REFRESHED_WAITER = "Holdfast: Redis commands per refreshed waiter (MONITOR)";
    static final String REFRESH_SHARE = "Holdfast: refresh calls' share of the drain's commands (MONITOR)";
    static final String ATTEMPTS = "Holdfast: acquire attempts per hand-over (MONITOR)";
    static final String ATTEMPT_SHARE = "Holdfast: acquire attempts' share of the drain's commands (MONITOR)";
    static final String NET_GROWTH = "Holdfast: commands per hand-over without refreshes, largest / smallest size";
    static final String WAITING_COMMANDS = "Redis commands per waiter-second (waiting)";
    static final String P50 = "hand-over p50 ms";
    static final String P99 = "hand-over p99 ms";
    static final String GROWTH = "commands per hand-over, largest / smallest size";
    static final String KEYS_LEFT = "keys left after close without TTL (all sizes)";
    static final String KEYS_EXPIRING = "keys left after close, expiring (all sizes)";
    static final int MAX_CLIENTS = 8;
    private static final String NAME = "bench:waiters";
    private static final long STACK = 256 * 1024;

    @Override
    public String id() {
        return "scale-waiters";
    }

    @Override
    public String description() {
        return "Waiters on one lock (threads spread over up to " + MAX_CLIENTS + " client instances; a separate "
                + "holder client). While they wait, the bench counts Redis commands per waiter-second and per "
                + "refresh script call; then the holder unlocks and the queue drains one waiter at a time: "
                + "`INFO commandstats` delta / waiters = commands per hand-over (exact). Hand-over = previous "
                + "`unlock()` call to next `lock()` return. Spring's registry queues a client's threads locally, "
                + "so only one per client waits on Redis. Holdfast runs each size a second time with `MONITOR` on "
                + "during the drain (a cost pass, not timed), which tells the waiters' refresh calls "
                + "(`renew-places.lua`) from the rest: commands per hand-over without them, and commands per "
                + "refreshed waiter.";
    }

    @Override
    public List<Library> libraries() {
        return PEERS;
    }

    @Override
    public List<Integer> sizes(Settings settings) {
        return settings.waiterCounts();
    }

    @Override
    public String sizeLabel() {
        return "waiters on one lock";
    }

    @Override
    public List<String> curves() {
        return List.of(HANDOVER_COMMANDS, WAITING_COMMANDS, P50, P99);
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Measurement m = new Measurement();
        List<Integer> sizes = sizes(bench.settings());
        for (int n : sizes) {
            measure(library, bench, n, m, null);
            bench.probe().flush();
            if (library == Library.HOLDFAST) {
                measure(library, bench, n, m, RENEW_PLACES_SHA);
                bench.probe().flush();
            }
        }
        m.put(GROWTH, ScalingScenario.growth(m, HANDOVER_COMMANDS, sizes));
        if (library == Library.HOLDFAST) {
            m.put(NET_GROWTH, ScalingScenario.growth(m, NET_HANDOVER_COMMANDS, sizes));
        }
        return m;
    }

    /** Holdfast's waiter refresh script, as the client sends it (its includes resolved). */
    private static final String RENEW_PLACES_SHA =
            io.holdfast.spi.Script.load(io.holdfast.reentrant.QueuedHashKind.class, "renew-places.lua").sha();
    /** Holdfast's acquisition attempt script (classic pub/sub: the bench's server is standalone). */
    private static final String ACQUIRE_SHA =
            io.holdfast.spi.Script.load(io.holdfast.reentrant.QueuedHashKind.class, "acquire.lua").sha();

    /**
     * One size: the timed pass ({@code refreshSha} null) or the cost pass, which runs the drain
     * under MONITOR and records only what script {@code refreshSha}'s calls take of it.
     */
    private void measure(Library library, Bench bench, int n, Measurement m, String refreshSha) throws Exception {
        List<LockClient> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            LockClient holderClient = library.connect(bench.uri(), DEFAULT_LEASE);
            clients.add(holderClient);
            for (int c = 0; c < Math.min(n, MAX_CLIENTS); c++) {
                clients.add(library.connect(bench.uri(), DEFAULT_LEASE));
            }
            Lock holder = holderClient.lock(NAME);
            holder.lock();
            Chain chain = new Chain(n);
            for (int i = 0; i < n; i++) {
                Lock lock = clients.get(1 + i % (clients.size() - 1)).lock(NAME);
                Thread t = new Thread(null, () -> chain.waitOnce(lock, failure), "bench-waiter-" + i, STACK);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            chain.entered.await(120, TimeUnit.SECONDS);
            boolean quiet = awaitQuiet(bench, n);

            RedisWork before = bench.probe().snapshot();
            long t0 = System.nanoTime();
            if (refreshSha == null) {
                Thread.sleep(bench.settings().scaleWindow().toMillis());
            }
            RedisWork waiting = bench.probe().snapshot().minus(before);
            double seconds = (System.nanoTime() - t0) / 1e9;

            MonitorCounter monitor = refreshSha == null ? null : bench.monitor();
            RedisWork start = bench.probe().snapshot();
            chain.unlockCalledAt = System.nanoTime();
            holder.unlock();
            boolean drained = chain.lastHolds.await(300, TimeUnit.SECONDS);
            RedisWork handovers = bench.probe().snapshot().minus(start);
            if (monitor != null) {
                try (monitor) {
                    monitor.drain();
                    MonitorCounter.ScriptTally refresh = monitor.script(refreshSha);
                    long all = monitor.clientCommands() + monitor.scriptCommands();
                    m.put(ScalingScenario.at(NET_HANDOVER_COMMANDS, n), (double) (all - refresh.commands()) / n);
                    m.put(ScalingScenario.at(REFRESH_SHARE, n), all == 0 ? Double.NaN : (double) refresh.commands() / all);
                    MonitorCounter.ScriptTally attempts = monitor.script(ACQUIRE_SHA);
                    m.put(ScalingScenario.at(ATTEMPTS, n), (double) attempts.calls() / n);
                    m.put(ScalingScenario.at(ATTEMPT_SHARE, n), all == 0 ? Double.NaN : (double) attempts.commands() / all);
                    // each refreshed waiter is one ARGV entry after the lease and the keys-per-item count
                    long waitersRefreshed = refresh.args() - 2 * refresh.calls();
                    if (waitersRefreshed > 0) {
                        m.put(ScalingScenario.at(PER_REFRESHED_WAITER, n), (double) refresh.commands() / waitersRefreshed);
                    }
                }
            }
            if (!drained) {
                throw new IllegalStateException(n + " waiters did not all get the lock within 300 s: "
                        + chain.acquired.get() + " did", failure.get());
            }
            chain.release.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a waiter failed", failure.get());
            }
            if (refreshSha != null) {
                return;
            }
            m.put(ScalingScenario.at(WAITING_COMMANDS, n), waiting.totalCommands() / (n * seconds));
            m.put(ScalingScenario.at(REFRESH_COMMANDS, n), waiting.scriptCalls() == 0 ? Double.NaN
                    : (double) waiting.totalCommands() / waiting.scriptCalls());
            m.put(ScalingScenario.at(HANDOVER_COMMANDS, n), (double) handovers.totalCommands() / n);
            m.put(ScalingScenario.at(HANDOVER_CPU, n), handovers.cpuSeconds() * 1e6 / n);
            m.put(ScalingScenario.at(P50, n), chain.latency.getValueAtPercentile(50) / 1e6);
            m.put(ScalingScenario.at(P99, n), chain.latency.getValueAtPercentile(99) / 1e6);
            if (!quiet) {
                m.put(ScalingScenario.at("server not quiet before the window (1 = yes)", n), 1);
            }
        } finally {
            threads.forEach(Thread::interrupt);
            clients.forEach(LockClient::close);
        }
        RedisProbe.KeysLeft left = bench.probe().keysLeft();
        m.put(KEYS_LEFT, m.values().getOrDefault(KEYS_LEFT, 0.0) + left.permanent());
        m.put(KEYS_EXPIRING, m.values().getOrDefault(KEYS_EXPIRING, 0.0) + left.expiring());
    }

    /**
     * Waits (at most 120 s) until the waiters have made their first attempts: a 250 ms window with
     * no more than n / 10 + 20 commands (Holdfast's refreshes of 10,000 waiters stay below that).
     */
    private static boolean awaitQuiet(Bench bench, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        RedisWork last = bench.probe().snapshot();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            RedisWork now = bench.probe().snapshot();
            if (now.minus(last).totalCommands() <= n / 10 + 20) {
                return true;
            }
            last = now;
        }
        return false;
    }

    /** The waiters' shared state: each takes the lock once, records its hand-over, unlocks. */
    private static final class Chain {
        final int n;
        final CountDownLatch entered;
        final CountDownLatch lastHolds = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger acquired = new AtomicInteger();
        final Histogram latency = Load.histogram();
        volatile long unlockCalledAt;

        Chain(int n) {
            this.n = n;
            this.entered = new CountDownLatch(n);
        }

        void waitOnce(Lock lock, AtomicReference<Throwable> failure) {
            try {
                entered.countDown();
                lock.lock();
                long got = System.nanoTime();
                try {
                    synchronized (latency) {
                        Load.record(latency, got - unlockCalledAt);
                    }
                    if (acquired.incrementAndGet() == n) {
                        lastHolds.countDown();
                        release.await();
                    }
                } finally {
                    unlockCalledAt = System.nanoTime();
                    lock.unlock();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                lastHolds.countDown();
            }
        }
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.atMost("commands per hand-over flat (largest / smallest size <= 1.1)", GROWTH, 1.1),
                Target.atMost("Holdfast: commands per hand-over without the waiters' refresh calls flat (largest / smallest "
                        + "size <= 1.1; MONITOR)", NET_GROWTH, 1.1),
                Target.atMost("no key without TTL left on the server", KEYS_LEFT, 0));
    }
}
