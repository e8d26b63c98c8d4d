package io.holdfast.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;

/**
 * Distinct lock names held at once by one client, 1 to 100,000 (a churn of a million is
 * {@link ChurnNamesScenario}): how long taking them all takes, the client heap each hold costs, and what keeping them
 * (watchdog renewal, short lease) costs Redis, per hold and lease. Then every hold is released and
 * the client closed: no key may be left. Holdfast and Redisson only: Spring's registry ties a lock
 * to a thread and renews each lock with a task of its own.
 */
final class NamesScenario implements ScalingScenario {

    static final String TAKE = "seconds to take all";
    static final String HEAP = "client heap bytes per hold";
    static final String RENEW = "renewal commands per hold per lease";
    static final String RENEW_CALLS = "renewal round trips/s";
    static final String LOST = "leases lost (all sizes)";
    static final String KEYS_LEFT = "keys left after release and close without TTL (all sizes)";
    static final String KEYS_EXPIRING = "keys left after release and close, expiring (all sizes)";
    static final String SLOT_TOKENS = "fencing-token keys (one per slot, by design; all sizes)";

    @Override
    public String id() {
        return "scale-names";
    }

    @Override
    public String description() {
        return "One client takes N distinct lock names (watchdog, short lease; async, 1,000 in flight), holds them "
                + "for a window of at least two leases, then releases them all and closes. Heap per hold = used heap "
                + "after `System.gc()` with the holds minus before, / N (rough at small N). Renewal commands = "
                + "`INFO commandstats` delta over the window x lease / (window x N).";
    }

    @Override
    public List<Integer> sizes(Settings settings) {
        return settings.nameCounts();
    }

    @Override
    public String sizeLabel() {
        return "distinct names held by one client";
    }

    @Override
    public List<String> curves() {
        return List.of(TAKE, HEAP, RENEW);
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Measurement m = new Measurement();
        Duration lease = bench.settings().shortLease();
        Duration window = bench.settings().scaleWindow().compareTo(lease.multipliedBy(2)) > 0
                ? bench.settings().scaleWindow() : lease.multipliedBy(2);
        long lost = 0;
        long left = 0;
        long expiring = 0;
        long tokens = 0;
        for (int n : sizes(bench.settings())) {
            try (LockClient client = library.connect(bench.uri(), lease)) {
                long heapBefore = usedHeap();
                long t0 = System.nanoTime();
                WatchdogScenario.all(n, i -> client.lockAsync(name(i), 1), false);
                m.put(ScalingScenario.at(TAKE, n), (System.nanoTime() - t0) / 1e9);
                m.put(ScalingScenario.at(HEAP, n), (double) (usedHeap() - heapBefore) / n);
                RedisWork before = bench.probe().snapshot();
                long start = System.nanoTime();
                Thread.sleep(window.toMillis());
                RedisWork work = bench.probe().snapshot().minus(before);
                double seconds = (System.nanoTime() - start) / 1e9;
                m.put(ScalingScenario.at(RENEW, n), work.totalCommands() * (lease.toMillis() / 1e3) / (seconds * n));
                m.put(ScalingScenario.at(RENEW_CALLS, n), work.scriptCalls() / seconds);
                lost += WatchdogScenario.all(n, i -> client.unlockAsync(name(i), 1), true);
            }
            RedisProbe.KeysLeft keys = bench.probe().keysLeft();
            left += keys.permanent();
            expiring += keys.expiring();
            tokens += keys.slotTokens();
            bench.probe().flush();
        }
        return m.put(LOST, lost).put(KEYS_LEFT, left).put(KEYS_EXPIRING, expiring).put(SLOT_TOKENS, tokens);
    }

    private static String name(int i) {
        return "bench:names:" + i;
    }

    /** Used heap after two full collections (as good as a JVM tells from inside). */
    private static long usedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.atMost("no lease lost", LOST, 0),
                Target.atMost("no key without TTL left on the server", KEYS_LEFT, 0));
    }
}
