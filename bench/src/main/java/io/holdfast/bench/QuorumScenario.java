package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.HdrHistogram.Histogram;

/**
 * The quorum lock over five independent masters, the multi-lock over three locks on three of
 * them, and the multi-lock over three locks of one client on one master (which Holdfast takes in
 * one script call), against Redisson's {@code RedissonRedLock} and {@code RedissonMultiLock} over
 * the same servers in the same run, and the floor (the same round trips, all at once, doing nothing):
 * uncontended {@code lock()} + {@code unlock()} cycles (with the acquisition's latency, and one
 * standalone acquisition's on master 0 in the same round for the 1.3x target), or contended
 * acquisitions of one lock by several threads.
 */
final class QuorumScenario implements Scenario {

    static final String CYCLES = "cycles/s";
    static final String ACQ = "acquisitions/s";
    static final String VS_STANDALONE = "acquire p50 / standalone acquire p50";

    /** The multi-lock's members: one per master, on masters 0, 1 and 2. */
    static final List<String> MEMBERS = List.of("bench:ml-a", "bench:ml-b", "bench:ml-c");

    /** Which lock: the quorum lock, the multi-lock over three masters, or over one. */
    enum Shape {
        QUORUM(""),
        MULTI("multilock-"),
        MULTI_ONE_SERVER("multilock-oneserver-");

        private final String id;

        Shape(String id) {
            this.id = id;
        }
    }

    private final Shape shape;
    private final boolean contended;

    QuorumScenario(Shape shape, boolean contended) {
        this.shape = shape;
        this.contended = contended;
    }

    @Override
    public String id() {
        return "quorum-" + shape.id + (contended ? "contended" : "uncontended");
    }

    @Override
    public String description() {
        String what = switch (shape) {
            case QUORUM -> "the quorum lock over 5 independent masters (Redisson: `RedissonRedLock`, deprecated in 4.x)";
            case MULTI -> "the multi-lock over 3 locks on 3 independent masters (Redisson: `RedissonMultiLock`)";
            case MULTI_ONE_SERVER -> "the multi-lock over 3 locks of one client on master 0 (Redisson: `RedissonMultiLock`;"
                    + " floor: one `EVALSHA` per `lock()` and per `unlock()`)";
        };
        String load = contended
                ? "2 client instances (1 in quick mode) x 2 threads on one lock; critical section = `GET` + `SET` of a counter on master 0. Wait = time in `lock()`."
                : "1 thread, 1 client: `lock()` + `unlock()` cycles of one free lock; acquire = time in `lock()`; "
                        + "standalone = one plain lock on master 0 by the same library, same round.";
        return load + " Lock: " + what + ". Floor: one trivial `EVALSHA` on each member's master, all at once, per "
                + "`lock()` and per `unlock()` (its standalone: one `EVALSHA`)" + (contended ? " (uncontended only)" : "")
                + ". Redis work columns: master 0's.";
    }

    /** The floor where it means something: round trips alone exclude nothing, so not under contention. */
    @Override
    public List<Library> libraries() {
        return contended ? Scenario.super.libraries() : WITH_FLOOR;
    }

    @Override
    public int rounds(Settings settings) {
        return contended ? settings.rounds() : settings.latencyRounds();
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        List<String> uris = QuorumServers.uris(bench);
        QuorumServers.flush();
        return contended ? runContended(library, bench, uris) : runUncontended(library, bench, uris);
    }

    private Lock lockOf(GroupClient client, String name) {
        return switch (shape) {
            case QUORUM -> client.quorum(name);
            case MULTI -> client.multi(MEMBERS);
            case MULTI_ONE_SERVER -> client.multiOnOneServer(MEMBERS);
        };
    }

    private Measurement runUncontended(Library library, Bench bench, List<String> uris) throws Exception {
        Measurement m = new Measurement();
        try (GroupClient client = GroupClient.connect(library, uris, DEFAULT_LEASE)) {
            Lock lock = lockOf(client, "bench:quorum-uncontended");
            Load.Result r = bench.measure(List.of(cycles("cycle", lock)), "cycle", m);
            m.put(CYCLES, r.perSecond("cycle"));
            m.latency("acquire", r.latency().get("cycle"));
            Lock standalone = client.standalone("bench:quorum-standalone");
            Load.run(bench.settings().warmup(), List.of(cycles("standalone", standalone)));
            Histogram one = Load.run(bench.settings().timed(), List.of(cycles("standalone", standalone))).latency().get("standalone");
            m.latency("standalone acquire", one);
            m.put(VS_STANDALONE, r.latency().get("cycle").getValueAtPercentile(50) / (double) Math.max(1, one.getValueAtPercentile(50)));
        }
        return m;
    }

    /** One thread: {@code lock()} + {@code unlock()}, the time in {@code lock()} recorded. */
    private static Load.Group cycles(String name, Lock lock) {
        return new Load.Group(name, 1, i -> h -> {
            long t = System.nanoTime();
            lock.lock();
            Load.record(h, System.nanoTime() - t);
            lock.unlock();
        });
    }

    private Measurement runContended(Library library, Bench bench, List<String> uris) throws Exception {
        int clientCount = bench.settings().quick() ? 1 : 2;
        int threadsPerClient = 2;
        bench.probe().commands().del(Clients.COUNTER_KEY);
        AtomicLong acquisitions = new AtomicLong();
        List<GroupClient> clients = new java.util.ArrayList<>();
        List<Counter> counters = new java.util.ArrayList<>();
        try {
            for (int c = 0; c < clientCount; c++) {
                clients.add(GroupClient.connect(library, uris, DEFAULT_LEASE));
                counters.add(new Counter(bench.uri(), Clients.COUNTER_KEY));
            }
            // one lock object per client, used by its threads (a multi-lock object keeps its holders' registry)
            List<Lock> locks = clients.stream().map(c -> lockOf(c, "bench:quorum-contended")).toList();
            Measurement m = new Measurement();
            Load.Result r = bench.measure(List.of(new Load.Group("acquire", clientCount * threadsPerClient, i -> {
                Lock lock = locks.get(i % clientCount);
                Counter counter = counters.get(i % clientCount);
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
            })), "acquire", m);
            m.put(ACQ, r.perSecond("acquire"));
            m.latency("wait", r.latency().get("acquire"));
            m.put("lost counter updates", acquisitions.get() - counters.get(0).read());
            return m;
        } finally {
            clients.forEach(GroupClient::close);
            counters.forEach(Counter::close);
        }
    }

    @Override
    public List<Target> targets() {
        if (contended) {
            return List.of(
                    Target.ratioAtLeast(">= 1.5x Redisson acquisitions/s", ACQ, 1.5),
                    Target.atMost("counter exact", "lost counter updates", 0));
        }
        return List.of(
                Target.ratioAtLeast(">= 1.5x Redisson cycles/s", CYCLES, 1.5),
                Target.atMost("acquire p50 within 1.3x of one standalone acquisition", VS_STANDALONE, 1.3));
    }

    @Override
    public String charted() {
        return contended ? "wait" : "acquire";
    }
}
