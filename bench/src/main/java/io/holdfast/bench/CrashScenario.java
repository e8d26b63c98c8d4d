package io.holdfast.bench;

import io.holdfast.testkit.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A holder JVM killed with {@code kill -9}: how long after its lease runs out does a waiter in
 * another process get the lock? The remaining lease is read ({@code PTTL}) right after the kill.
 */
final class CrashScenario implements Scenario {

    static final String EXCESS = "acquired after lease end, ms";

    @Override
    public List<Library> libraries() {
        return PEERS;
    }

    @Override
    public String id() {
        return "crash";
    }

    @Override
    public String description() {
        return "A child JVM takes the lock (watchdog, short lease) and is killed with `kill -9` while this "
                + "JVM waits in `lock()`; measured: time from the kill to the waiter's `lock()` return, minus "
                + "the lease left at the kill (`PTTL`). Spring's registry has no watchdog here: its hold simply "
                + "has the short lease.";
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Duration lease = bench.settings().shortLease();
        String name = "bench:crash";
        try (ChildJvm holder = ChildJvm.builder(CrashHolderMain.class)
                        .jvmArg("-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                        .arg(library.name(), bench.uri(), Long.toString(lease.toMillis()), name)
                        .start();
                LockClient waiter = library.connect(bench.uri(), lease)) {
            holder.awaitLine("held"::equals, Duration.ofSeconds(60));
            Lock lock = waiter.lock(name);
            CompletableFuture<Long> acquiredAt = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                lock.lock();
                acquiredAt.complete(System.nanoTime());
                lock.unlock();
            }, "bench-crash-waiter");
            t.setDaemon(true);
            t.start();
            holder.kill9();
            long killedAt = System.nanoTime();
            long remaining = bench.probe().commands().pttl(waiter.keyOf(name));
            long got = acquiredAt.get(lease.toMillis() * 3, TimeUnit.MILLISECONDS);
            double afterKill = (got - killedAt) / 1e6;
            return new Measurement()
                    .put("lease left at kill, ms", remaining)
                    .put("acquired after kill, ms", afterKill)
                    .put(EXCESS, afterKill - Math.max(0, remaining));
        }
    }

    @Override
    public List<Target> targets() {
        return List.of(Target.atMost("next acquire <= remaining lease + 50 ms", EXCESS, 50));
    }
}
