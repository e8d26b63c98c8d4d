package io.holdfast.bench;

import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Many locks held at once by one client with watchdog-renewed leases (a short lease, so renewals
 * are frequent). While they are held, the bench samples random lock keys' remaining TTL and counts
 * what Redis does for the renewals.
 */
final class WatchdogScenario implements Scenario {

    static final String ELAPSED = "max lease elapsed before renewal (fraction)";
    static final String CPU = "Redis CPU ms/s";
    static final String SCRIPTS = "renewal round trips/s";
    private static final int IN_FLIGHT = 1_000;
    private static final int SAMPLE = 256;

    private final int locks;

    WatchdogScenario(int locks) {
        this.locks = locks;
    }

    @Override
    public String id() {
        return "watchdog-" + locks;
    }

    @Override
    public String description() {
        return String.format(java.util.Locale.ROOT, "%,d locks held by one client with the watchdog", locks)
                + " (short lease; Redisson renews every third of it, Holdfast past half of it); for a window of several leases the bench samples "
                + SAMPLE + " random keys' `PTTL` every 100 ms and counts Redis commands and CPU.";
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Duration lease = bench.settings().shortLease();
        try (LockClient client = library.connect(bench.uri(), lease)) {
            long t0 = System.nanoTime();
            all(locks, i -> client.lockAsync(name(i), 1), false);
            double takeSeconds = (System.nanoTime() - t0) / 1e9;
            RedisWork before = bench.probe().snapshot();
            long start = System.nanoTime();
            long deadline = start + bench.settings().watchdogWindow().toNanos();
            long minTtl = Long.MAX_VALUE;
            long sampled = 0;
            while (System.nanoTime() < deadline) {
                minTtl = Math.min(minTtl, sampleMinTtl(bench, client));
                sampled += SAMPLE;
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            RedisWork work = bench.probe().snapshot().minus(before);
            long missing = countMissing(bench, client);
            long unlockFailures = all(locks, i -> client.unlockAsync(name(i), 1), true);
            return new Measurement()
                    .put("seconds to take all", takeSeconds)
                    .put(ELAPSED, 1.0 - (double) minTtl / lease.toMillis())
                    .put("leases lost", missing)
                    .put("unlock() failed (lease lost)", unlockFailures)
                    .put(SCRIPTS, work.scriptCalls() / seconds)
                    .put("Redis commands/s (all)", (work.totalCommands() - sampled) / seconds)
                    .put(CPU, work.cpuSeconds() * 1e3 / seconds);
        }
    }

    private static String name(int i) {
        return "bench:wd:" + i;
    }

    /**
     * Runs {@code call(i)} for every lock {@code i < locks}, at most {@link #IN_FLIGHT} at a time; waits for all.
     *
     * @param tolerate count failed calls instead of failing (an unlock of a lease that was lost)
     * @return how many calls failed
     */
    static long all(int locks, IntFunction<CompletionStage<?>> call, boolean tolerate) throws Exception {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        AtomicLong failed = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>(locks);
        for (int i = 0; i < locks; i++) {
            permits.acquire();
            // counted in the stage waited on: a callback beside it could run after allOf completes
            CompletableFuture<?> f = call.apply(i).toCompletableFuture().whenComplete((v, e) -> {
                permits.release();
                if (e != null) {
                    failed.incrementAndGet();
                }
            });
            pending.add(tolerate ? f.exceptionally(e -> null) : f);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return failed.get();
    }

    private long sampleMinTtl(Bench bench, LockClient client) throws Exception {
        List<RedisFuture<Long>> ttls = new ArrayList<>(SAMPLE);
        for (int k = 0; k < SAMPLE; k++) {
            ttls.add(bench.probe().async().pttl(client.keyOf(name(ThreadLocalRandom.current().nextInt(locks)))));
        }
        long min = Long.MAX_VALUE;
        for (RedisFuture<Long> f : ttls) {
            long ttl = f.get(10, TimeUnit.SECONDS);
            min = Math.min(min, ttl < 0 ? 0 : ttl);
        }
        return min;
    }

    private long countMissing(Bench bench, LockClient client) throws Exception {
        List<RedisFuture<Long>> exists = new ArrayList<>(locks);
        for (int i = 0; i < locks; i++) {
            exists.add(bench.probe().async().exists(client.keyOf(name(i))));
        }
        long missing = 0;
        for (RedisFuture<Long> f : exists) {
            missing += 1 - f.get(60, TimeUnit.SECONDS);
        }
        return missing;
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.atMost("every lease renewed before 2/3 of it elapses", ELAPSED, 2.0 / 3),
                Target.atMost("no lease lost", "leases lost", 0),
                Target.ratioAtMost("Redis CPU for renewal <= 0.5x Redisson", CPU, 0.5),
                Target.ratioAtMost("round trips for renewal <= 0.5x Redisson", SCRIPTS, 0.5));
    }
}
