package io.holdfast.bench;

import java.util.List;

/** The same lock taken 100 deep by one thread, then released 100 times. */
final class ReentrantScenario implements Scenario {

    static final int DEPTH = 100;
    static final String PER_LEVEL = "µs per level";

    @Override
    public int rounds(Settings settings) {
        return settings.latencyRounds();
    }

    @Override
    public String id() {
        return "reentrant";
    }

    @Override
    public String description() {
        return "1 thread: the same lock taken " + DEPTH + " deep, then released " + DEPTH
                + " times; a level is one `lock()` or one `unlock()`. Floor: one `EVALSHA` round trip per level.";
    }

    @Override
    public List<Library> libraries() {
        return WITH_FLOOR;
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Measurement m = new Measurement();
        Load.Result r = bench.oneThread(library, "bench:reentrant", "nest", 2 * DEPTH, m, lock -> {
            for (int level = 0; level < DEPTH; level++) {
                lock.lock();
            }
            for (int level = 0; level < DEPTH; level++) {
                lock.unlock();
            }
        });
        m.put(PER_LEVEL, r.seconds() * 1e6 / (r.ops().get("nest") * 2.0 * DEPTH));
        m.put("client commands/level", m.values().get("client commands/op") / (2.0 * DEPTH));
        m.put("Redis commands/level (all)", m.values().get("Redis commands/op (all)") / (2.0 * DEPTH));
        return m;
    }

    @Override
    public List<Target> targets() {
        return List.of(Target.floorRatioAtMost("per level <= 1.1x one round trip", PER_LEVEL, 1.1));
    }
}
