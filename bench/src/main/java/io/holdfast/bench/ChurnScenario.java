package io.holdfast.bench;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/**
 * One thread takes and releases one lock (watchdog on, short lease) over and over. A correct
 * watchdog renews nothing: every hold ends long before its first renewal is due. The bench
 * attaches MONITOR for 1 s windows spread over the run and counts client script calls other than
 * the lock and unlock scripts (learnt in a first short window): those are renewals.
 */
final class ChurnScenario implements Scenario {

    static final String LAST = "renewal calls/s, last window";
    private static final Duration MAX_WINDOW = Duration.ofSeconds(1);

    @Override
    public String id() {
        return "churn";
    }

    @Override
    public String description() {
        return "1 thread takes and releases one lock (watchdog on, short lease) for the whole run; renewal "
                + "script calls/s are counted with MONITOR in 1 s windows (first, middle, last).";
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Duration total = bench.settings().churn();
        Duration window = total.dividedBy(5).compareTo(MAX_WINDOW) < 0 ? total.dividedBy(5) : MAX_WINDOW;
        try (LockClient client = library.connect(bench.uri(), bench.settings().shortLease())) {
            Lock lock = client.lock("bench:churn");
            CompletableFuture<Load.Result> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return Load.run(total, List.of(new Load.Group("cycle", 1, i -> h -> {
                        lock.lock();
                        lock.unlock();
                    })));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            Set<String> lockScripts = new HashSet<>();
            try (MonitorCounter calibration = bench.monitor()) {
                Thread.sleep(300);
                lockScripts.addAll(calibration.drain().scriptCallsBySha().keySet());
            }
            long last = total.toNanos() - window.toNanos() - Duration.ofMillis(300).toNanos();
            double first = window(bench, lockScripts, start, Duration.ofMillis(400).toNanos(), window);
            double middle = window(bench, lockScripts, start, last / 2, window);
            double end = window(bench, lockScripts, start, last, window);
            Load.Result r = load.get();
            return new Measurement()
                    .put("cycles/s", r.perSecond("cycle"))
                    .put("renewal calls/s, first window", first)
                    .put("renewal calls/s, middle window", middle)
                    .put(LAST, end);
        }
    }

    /** Script calls per second, other than {@code lockScripts}, in a window starting {@code at} ns after start. */
    private static double window(Bench bench, Set<String> lockScripts, long start, long at, Duration window)
            throws InterruptedException {
        long wait = start + at - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
        try (MonitorCounter monitor = bench.monitor()) {
            long t = System.nanoTime();
            Thread.sleep(window.toMillis());
            double seconds = (System.nanoTime() - t) / 1e9;
            long renewals = monitor.drain().scriptCallsBySha().entrySet().stream()
                    .filter(e -> !lockScripts.contains(e.getKey()))
                    .mapToLong(java.util.Map.Entry::getValue)
                    .sum();
            return renewals / seconds;
        }
    }

    @Override
    public List<Target> targets() {
        return List.of(Target.atMost("renewal script calls/s stay ~0 (<= 1/s)", LAST, 1));
    }
}
