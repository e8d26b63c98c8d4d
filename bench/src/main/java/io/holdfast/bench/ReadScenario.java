package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.locks.Lock;

/** Readers only: 8 threads over 4 client instances, read lock + unlock cycles of one read-write lock. */
final class ReadScenario implements Scenario {

    static final String OPS = "read lock+unlock/s";

    @Override
    public String id() {
        return "read";
    }

    @Override
    public String description() {
        return "8 reader threads over 4 client instances: `readLock().lock()` + `unlock()` cycles of one "
                + "read-write lock. Floor: 2 `EVALSHA` round trips per cycle on the same threads and connections.";
    }

    @Override
    public List<Library> libraries() {
        return WITH_FLOOR;
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        try (Clients cs = new Clients(library, bench, 4, DEFAULT_LEASE)) {
            Measurement m = new Measurement();
            Load.Result r = bench.measure(List.of(new Load.Group("read", 8, i -> {
                Lock read = cs.lock(i).readWriteLock("bench:rw-read").readLock();
                return h -> {
                    long t = System.nanoTime();
                    read.lock();
                    read.unlock();
                    Load.record(h, System.nanoTime() - t);
                };
            })), "read", m);
            m.put(OPS, r.perSecond("read"));
            m.latency("read cycle", r.latency().get("read"));
            return m;
        }
    }

    @Override
    public List<Target> targets() {
        return List.of(Target.ratioAtLeast(">= 2.5x Redisson read lock+unlock/s", OPS, 2.5));
    }
}
