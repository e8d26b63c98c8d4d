package io.holdfast.bench;

import io.holdfast.testkit.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * Where a lock's wake-ups go on a Redis Cluster: client instances taking turns on one lock, so
 * (nearly) every release wakes a waiter of another client. Each node's own counters, read before
 * and after the timed run, say how many pub/sub messages the owner published
 * ({@code PUBLISH} / {@code SPUBLISH} calls, scripts' included) and how many reached each node over
 * the cluster bus ({@code cluster_stats_messages_publish_received} and
 * {@code ..._publishshard_received} of {@code CLUSTER INFO}): a sharded message reaches the owner's
 * replicas only, a classic one every node. Commands per node say what else each node did.
 */
final class ClusterWakeupsScenario extends ClusterScenario {

    static final String ACQ = "acquisitions/s";
    static final String OUTSIDE = "bus messages received outside the lock's shard";
    static final String OUTSIDE_PER_1000 = "bus messages received outside the lock's shard per 1,000 acquisitions";
    static final String SHARD_REPLICAS = "bus messages received by the owner's replica(s)";
    static final String CLASSIC = "PUBLISH calls on the owner/acquisition";
    static final String SHARDED = "SPUBLISH calls on the owner/acquisition";
    static final String OWNER_COMMANDS = "Redis commands/acquisition, owner master";
    static final String REPLICA_COMMANDS = "Redis commands/acquisition, owner's replica(s)";
    static final String OTHER_COMMANDS = "Redis commands/acquisition, nodes outside the shard (all)";

    @Override
    public String id() {
        return "cluster-wakeups";
    }

    @Override
    public String description() {
        return "Redis Cluster (as cluster-uncontended): N client instances x 1 thread take turns on one lock "
                + "(N = 4; 2 in quick mode), critical section = `GET` + `SET` of its counter. Per node, before and "
                + "after the timed run: pub/sub messages received over the cluster bus (`CLUSTER INFO` "
                + "`cluster_stats_messages_publish_received` + `..._publishshard_received`; exact counts, read once "
                + "the bus is quiet) and `INFO commandstats`. The lock's shard is the master of its slot and that "
                + "master's replica; the other nodes (4) should hear nothing of it. Messages, not bytes: Redis 7.0's "
                + "`total_net_*_bytes` leave the cluster bus out (checked on 7.0.15: a node outside the shard "
                + "received ~150 bus messages while its input bytes grew by ~100, the bench's own `INFO`). "
                + "Spring's registry runs here alone of the Cluster scenarios: its unlock script takes the lock key "
                + "and the unlock channel in `KEYS`, so on a Cluster its registry key needs a hash tag "
                + "(`{bench-spring}`) and all its locks share one slot.";
    }

    @Override
    public List<Library> libraries() {
        return PEERS;
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        BenchCluster cluster = freshCluster(bench);
        String name = "bench:cw";
        int clients = bench.settings().cluster().wakeupClients();
        AtomicLong acquisitions = new AtomicLong();
        try (ClusterClients cs = new ClusterClients(library, cluster, clients)) {
            String key = cs.locks.get(0).keyOf(name);
            String counterKey = ClusterCounter.keyFor(key);
            RedisServer owner = cluster.masterOf(key);
            List<RedisServer> shard = cluster.shardOf(owner);
            Measurement m = new Measurement();
            Run r = measure(cluster, bench.settings(), List.of(new Load.Group("acquire", clients, i -> {
                Lock lock = cs.locks.get(i).lock(name);
                ClusterCounter counter = cs.counters.get(i);
                return h -> {
                    long t = System.nanoTime();
                    lock.lock();
                    try {
                        Load.record(h, System.nanoTime() - t);
                        counter.increment(counterKey);
                        acquisitions.incrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                };
            })), "acquire", m);
            long ops = r.timed().ops().get("acquire");
            double n = Math.max(1, ops);
            long outside = 0;
            long replicas = 0;
            long otherCommands = 0;
            long replicaCommands = 0;
            for (Map.Entry<RedisServer, BenchCluster.NodeStats> e : r.nodes().entrySet()) {
                BenchCluster.NodeStats s = e.getValue();
                if (!shard.contains(e.getKey())) {
                    outside += s.busMessages();
                    otherCommands += s.work().totalCommands();
                } else if (e.getKey() != owner) {
                    replicas += s.busMessages();
                    replicaCommands += s.work().totalCommands();
                }
            }
            BenchCluster.NodeStats own = r.nodes().get(owner);
            m.put(ACQ, r.timed().perSecond("acquire"));
            m.latency("wait", r.timed().latency().get("acquire"));
            m.put(CLASSIC, own.work().calls().getOrDefault("publish", 0L) / n);
            m.put(SHARDED, own.work().calls().getOrDefault("spublish", 0L) / n);
            m.put(OUTSIDE, outside);
            m.put(OUTSIDE_PER_1000, outside * 1000 / n);
            m.put(SHARD_REPLICAS, replicas);
            m.put(OWNER_COMMANDS, own.work().totalCommands() / n);
            m.put(REPLICA_COMMANDS, replicaCommands / n);
            m.put(OTHER_COMMANDS, otherCommands / n);
            m.put(LOST, acquisitions.get() - cs.counters.get(0).read(counterKey));
            System.err.printf("[bench] %s %s: %d acquisitions; owner %s published %d; bus messages received per node: %s%n",
                    id(), library.label(), ops, owner, own.published(), busPerNode(r, shard, owner));
            return m;
        } finally {
            cluster.flush();
        }
    }

    /** {@code owner=N, replica=N, other=N, ...} in node order, for the log. */
    private static String busPerNode(Run r, List<RedisServer> shard, RedisServer owner) {
        StringBuilder s = new StringBuilder();
        r.nodes().forEach((node, stats) -> s.append(s.length() == 0 ? "" : ", ")
                .append(node == owner ? "owner" : shard.contains(node) ? "owner's replica" : "outside :" + node.port())
                .append('=').append(stats.busMessages()));
        return s.toString();
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.atMost("wake-up messages reaching nodes outside the lock's shard: 0", OUTSIDE, 0),
                Target.atMost("counter exact", LOST, 0));
    }
}
