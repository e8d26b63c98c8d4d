package io.holdfast.bench;

import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Uncontended cycles on a Redis Cluster with the locks spread over every master: one client, one
 * thread per master, each thread cycling {@code lock()} + {@code unlock()} over locks of its own, one
 * on each master in turn, so every thread and the client's connections work every shard.
 */
final class ClusterUncontendedScenario extends ClusterScenario {

    static final String CYCLES = "cycles/s";

    @Override
    public String id() {
        return "cluster-uncontended";
    }

    @Override
    public String description() {
        return "Redis Cluster (3 masters + 3 replicas, the run's one cluster, every node a seed): 1 client, "
                + "1 thread per master; each thread cycles `lock()` + `unlock()` (watchdog lease) over locks of its "
                + "own, one on each master in turn. Redis work summed over the masters; replicas and cluster bus "
                + "apart. Both libraries with their defaults: Redisson's follow each lock script with a `WAIT` for "
                + "the master's replica (in its command mix), Holdfast's `WAIT` is an opt-in policy, off here. "
                + "Spring's registry sits out: on a Cluster all its locks share one slot (see cluster-wakeups).";
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        BenchCluster cluster = freshCluster(bench);
        int n = cluster.masters().size();
        try (LockClient client = library.connect(cluster.uri(), DEFAULT_LEASE)) {
            List<String> names = cluster.namesOnEveryMaster(client, "bench:cu:", n);
            Measurement m = new Measurement();
            Run r = measure(cluster, bench.settings(), List.of(new Load.Group("cycle", n, t -> {
                List<Lock> locks = names.subList(t * n, (t + 1) * n).stream().map(client::lock).toList();
                int[] next = {0};
                return h -> {
                    Lock lock = locks.get(next[0]++ % n);
                    long t0 = System.nanoTime();
                    lock.lock();
                    lock.unlock();
                    Load.record(h, System.nanoTime() - t0);
                };
            })), "cycle", m);
            m.put(CYCLES, r.timed().perSecond("cycle"));
            m.latency("cycle", r.timed().latency().get("cycle"));
            return m;
        } finally {
            cluster.flush();
        }
    }

    @Override
    public List<Target> targets() {
        return List.of(Target.ratioAtLeast(">= 1.3x Redisson cycles/s (locks on every master)", CYCLES, 1.3));
    }
}
