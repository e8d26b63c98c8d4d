package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Lock;

/**
 * Contended acquisitions on a Redis Cluster with the locks spread over every master: one lock per
 * master, each wanted by one thread of every client instance, so every wait is on another client and
 * every lock's wake-ups travel on its own master. The critical section is the {@link ClusterCounter}'s
 * {@code GET} + {@code SET} of the lock's counter, in the lock's slot.
 */
final class ClusterContendedScenario extends ClusterScenario {

    static final String ACQ = "acquisitions/s";

    @Override
    public String id() {
        return "cluster-contended";
    }

    @Override
    public String description() {
        return "Redis Cluster (as cluster-uncontended): one lock per master; N client instances x 1 thread per master, "
                + "thread j of every client on lock j, so each lock is contended by N clients (N = 4; 2 in quick mode). "
                + "Critical section = `GET` + `SET` of the lock's counter (in the lock's slot, non-atomic). "
                + "Wait = time in `lock()`. Spring sits out (see cluster-wakeups).";
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        BenchCluster cluster = freshCluster(bench);
        int n = cluster.masters().size();
        int clients = bench.settings().cluster().contendedClients();
        AtomicLongArray acquisitions = new AtomicLongArray(n);
        try (ClusterClients cs = new ClusterClients(library, cluster, clients)) {
            List<String> names = cluster.namesOnEveryMaster(cs.locks.get(0), "bench:cc:", 1);
            List<String> counters = names.stream().map(name -> ClusterCounter.keyFor(cs.locks.get(0).keyOf(name))).toList();
            Measurement m = new Measurement();
            Run r = measure(cluster, bench.settings(), List.of(new Load.Group("acquire", clients * n, i -> {
                int j = i % n;
                String name = names.get(j);
                Lock lock = cs.locks.get(i / n).lock(name);
                ClusterCounter counter = cs.counters.get(i / n);
                return h -> {
                    long t = System.nanoTime();
                    lock.lock();
                    try {
                        Load.record(h, System.nanoTime() - t);
                        counter.increment(counters.get(j));
                        acquisitions.incrementAndGet(j);
                    } finally {
                        lock.unlock();
                    }
                };
            })), "acquire", m);
            m.put(ACQ, r.timed().perSecond("acquire"));
            m.latency("wait", r.timed().latency().get("acquire"));
            long lost = 0;
            for (int j = 0; j < n; j++) {
                lost += acquisitions.get(j) - cs.counters.get(0).read(counters.get(j));
            }
            m.put(LOST, lost);
            return m;
        } finally {
            cluster.flush();
        }
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.ratioAtLeast(">= 1.3x Redisson acquisitions/s (locks on every master)", ACQ, 1.3),
                Target.atMost("counter exact", LOST, 0));
    }
}
