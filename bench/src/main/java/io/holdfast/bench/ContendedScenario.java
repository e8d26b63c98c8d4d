package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * Threads of one or more clients competing for one lock; the critical section is a non-atomic
 * GET/SET of a counter, which must end up equal to the number of acquisitions.
 */
final class ContendedScenario implements Scenario {

    static final String ACQ = "acquisitions/s";

    private final int clients;
    private final int threadsPerClient;
    private final boolean fair;

    ContendedScenario(int clients, int threadsPerClient, boolean fair) {
        this.clients = clients;
        this.threadsPerClient = threadsPerClient;
        this.fair = fair;
    }

    @Override
    public String id() {
        return (fair ? "fair-" : "contended-") + clients + "x" + threadsPerClient;
    }

    @Override
    public String description() {
        return clients + " client instance(s) x " + threadsPerClient + " threads on one "
                + (fair ? "**fair** " : "") + "lock; critical section = `GET` + `SET` of a counter "
                + "(non-atomic). Wait = time in `lock()`.";
    }

    @Override
    public List<Library> libraries() {
        return fair ? Scenario.super.libraries() : PEERS;
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        bench.probe().commands().del(Clients.COUNTER_KEY);
        AtomicLong acquisitions = new AtomicLong();
        FifoCheck fifo = new FifoCheck();
        try (Clients cs = new Clients(library, bench, clients, DEFAULT_LEASE)) {
            Measurement m = new Measurement();
            Load.Result r = bench.measure(List.of(new Load.Group("acquire", clients * threadsPerClient, i -> {
                Lock lock = fair ? cs.lock(i).fairLock("bench:fair") : cs.lock(i).lock("bench:contended");
                Counter counter = cs.counter(i);
                return h -> {
                    long t = System.nanoTime();
                    lock.lock();
                    try {
                        long got = System.nanoTime();
                        Load.record(h, got - t);
                        fifo.granted(t);
                        counter.increment();
                        acquisitions.incrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                };
            })), "acquire", m);
            m.put(ACQ, r.perSecond("acquire"));
            m.latency("wait", r.latency().get("acquire"));
            m.put("lost counter updates", acquisitions.get() - cs.counter(0).read());
            if (fair) {
                m.put("FIFO overtakes (> " + FifoCheck.SLACK_MILLIS + " ms)", fifo.overtakes());
            }
            return m;
        }
    }

    @Override
    public List<Target> targets() {
        if (fair) {
            return List.of(
                    Target.ratioAtLeast(">= 2x Redisson", ACQ, 2.0),
                    Target.atMost("strict FIFO", "FIFO overtakes (> " + FifoCheck.SLACK_MILLIS + " ms)", 0),
                    Target.atMost("<= 15 Redis commands per acquisition", "Redis commands/op (all)", 15),
                    Target.atMost("counter exact", "lost counter updates", 0));
        }
        return List.of(
                Target.ratioAtLeast(">= 1.5x Redisson acquisitions/s", ACQ, 1.5),
                Target.atMost("counter exact", "lost counter updates", 0),
                Target.ratioAtMost("wait p99 <= 0.3x Redisson", "wait p99 ms", 0.3));
    }

    @Override
    public String charted() {
        return "wait";
    }
}
