package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * Client instances on one lock, 1 to 64, one thread each (so every waiter waits on Redis, Spring's
 * included): acquisitions/s, wait p99 and Redis commands per acquisition as the clients multiply.
 * The critical section is the contended scenarios' {@code GET} + {@code SET} of a counter.
 */
final class ClientsScenario implements ScalingScenario {

    static final String ACQ = "acquisitions/s";
    static final String WAIT_P99 = "wait p99 ms";
    static final String COMMANDS = "Redis commands per acquisition";
    static final String LOST = "lost counter updates (all sizes)";
    private static final String NAME = "bench:clients";

    @Override
    public String id() {
        return "scale-clients";
    }

    @Override
    public String description() {
        return "N client instances x 1 thread on one lock, critical section = `GET` + `SET` of a counter; "
                + "per N a warm-up, then a timed run with `INFO commandstats` deltas. Wait = time in `lock()`.";
    }

    @Override
    public List<Library> libraries() {
        return PEERS;
    }

    @Override
    public List<Integer> sizes(Settings settings) {
        return settings.clientCounts();
    }

    @Override
    public String sizeLabel() {
        return "client instances on one lock";
    }

    @Override
    public List<String> curves() {
        return List.of(ACQ, WAIT_P99, COMMANDS);
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Measurement m = new Measurement();
        long lost = 0;
        for (int n : sizes(bench.settings())) {
            bench.probe().commands().del(Clients.COUNTER_KEY);
            AtomicLong acquisitions = new AtomicLong();
            try (Clients cs = new Clients(library, bench, n, DEFAULT_LEASE)) {
                List<Load.Group> groups = List.of(new Load.Group("acquire", n, i -> {
                    Lock lock = cs.lock(i).lock(NAME);
                    Counter counter = cs.counter(i);
                    return h -> {
                        long t = System.nanoTime();
                        lock.lock();
                        try {
                            Load.record(h, System.nanoTime() - t);
                            counter.increment();
                            acquisitions.incrementAndGet();
                        } finally {
                            lock.unlock();
                        }
                    };
                }));
                Load.run(bench.settings().warmup(), groups);
                RedisWork before = bench.probe().snapshot();
                Load.Result r = Load.run(bench.settings().timed(), groups);
                RedisWork work = bench.probe().snapshot().minus(before);
                long ops = Math.max(1, r.ops().get("acquire"));
                m.put(ScalingScenario.at(ACQ, n), r.perSecond("acquire"));
                m.put(ScalingScenario.at(WAIT_P99, n), r.latency().get("acquire").getValueAtPercentile(99) / 1e6);
                // each counted operation ran exactly one GET and one SET of the counter: not the lock's
                m.put(ScalingScenario.at(COMMANDS, n), (work.totalCommands() - 2.0 * ops) / ops);
                lost += acquisitions.get() - cs.counter(0).read();
            }
        }
        return m.put(LOST, lost);
    }

    @Override
    public List<Target> targets() {
        return List.of(Target.atMost("counter exact at every size", LOST, 0));
    }
}
