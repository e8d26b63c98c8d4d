package io.holdfast.bench;

import java.util.List;

/** One thread, one client: {@code lock()} + {@code unlock()} cycles on a lock nobody else wants. */
final class UncontendedScenario implements Scenario {

    static final String CYCLES = "cycles/s";

    @Override
    public int rounds(Settings settings) {
        return settings.latencyRounds();
    }

    @Override
    public String id() {
        return "uncontended";
    }

    @Override
    public String description() {
        return "1 thread, 1 client: `lock()` + `unlock()` cycles of one free lock (watchdog lease). "
                + "Same run: Redisson and Spring's `RedisLockRegistry`. Floor: 2 plain `EVALSHA` round trips of `return 1` per cycle.";
    }

    @Override
    public List<Library> libraries() {
        return PEERS_AND_FLOOR;
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Measurement m = new Measurement();
        Load.Result r = bench.oneThread(library, "bench:uncontended", "cycle", 1, m, lock -> {
            lock.lock();
            lock.unlock();
        });
        m.put(CYCLES, r.perSecond("cycle"));
        m.latency("cycle", r.latency().get("cycle"));
        return m;
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.ratioAtLeast(">= 1.2x Redisson cycles/s", CYCLES, 1.2),
                Target.atMost("2 client commands per cycle", "client commands/op", 2.0),
                Target.floorRatioAtLeast("within 15% of the 2-round-trip floor", CYCLES, 0.85));
    }

    @Override
    public String charted() {
        return "cycle";
    }
}
