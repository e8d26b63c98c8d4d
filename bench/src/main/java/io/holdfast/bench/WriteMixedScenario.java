package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * 6 readers and 2 writers over 4 client instances on one read-write lock. Readers read the counter
 * under the read lock; writers increment it (GET/SET) under the write lock.
 */
final class WriteMixedScenario implements Scenario {

    static final String WRITES = "writer acquisitions/s";
    static final String READS = "reads/s";

    @Override
    public String id() {
        return "write-mixed";
    }

    @Override
    public String description() {
        return "6 reader + 2 writer threads over 4 client instances (writers on clients 3 and 4), one read-write lock. "
                + "Readers `GET` the counter under the read lock, writers `GET`+`SET` it under the write lock.";
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        bench.probe().commands().del(Clients.COUNTER_KEY);
        AtomicLong writes = new AtomicLong();
        try (Clients cs = new Clients(library, bench, 4, DEFAULT_LEASE)) {
            Measurement m = new Measurement();
            Load.Group readers = new Load.Group("read", 6, i -> {
                Lock read = rw(cs, i).readLock();
                Counter counter = cs.counter(i);
                return h -> {
                    long t = System.nanoTime();
                    read.lock();
                    try {
                        Load.record(h, System.nanoTime() - t);
                        counter.read();
                    } finally {
                        read.unlock();
                    }
                };
            });
            Load.Group writers = new Load.Group("write", 2, i -> {
                Lock write = rw(cs, 6 + i).writeLock();
                Counter counter = cs.counter(6 + i);
                return h -> {
                    long t = System.nanoTime();
                    write.lock();
                    try {
                        Load.record(h, System.nanoTime() - t);
                        counter.increment();
                        writes.incrementAndGet();
                    } finally {
                        write.unlock();
                    }
                };
            });
            Load.Result r = bench.measure(List.of(readers, writers), "write", m);
            m.put(WRITES, r.perSecond("write"));
            m.put(READS, r.perSecond("read"));
            m.latency("writer wait", r.latency().get("write"));
            m.latency("reader wait", r.latency().get("read"));
            m.put("lost counter updates", writes.get() - cs.counter(0).read());
            return m;
        }
    }

    private static ReadWriteLock rw(Clients cs, int thread) {
        return cs.lock(thread).readWriteLock("bench:rw-mixed");
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.ratioAtLeast("writer acquisitions/s >= 10x Redisson", WRITES, 10),
                Target.atMost("writer wait p99 <= 50 ms", "writer wait p99 ms", 50),
                Target.ratioAtLeast("reads >= 1.5x", READS, 1.5),
                Target.atMost("counter exact", "lost counter updates", 0));
    }

    @Override
    public String charted() {
        return "writer wait";
    }
}
