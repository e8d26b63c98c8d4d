package io.holdfast.bench;

import io.holdfast.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the {@code cluster-*} scenarios share (issue 14): Holdfast and Redisson on the run's one
 * Redis Cluster ({@link Bench#cluster()}), clients connected with every node as a seed, and a
 * measure that reads every node's counters around the timed run. Redis work per operation is summed
 * over the masters (what the lock costs; the same number as on one server), the replicas' replicated
 * commands and the cluster bus's pub/sub messages are counted apart. No {@code MONITOR} run here:
 * the client/in-script split is the standalone scenarios' business.
 */
abstract class ClusterScenario implements Scenario {

    static final String REPLICATED = "replicated commands/op (replicas)";
    static final String BUS_MESSAGES = "bus pub/sub messages received/op (all nodes)";
    static final String LOST = "lost counter updates";

    /** The timed run and what each node did during it ({@link BenchCluster#nodes()} order). */
    record Run(Load.Result timed, Map<RedisServer, BenchCluster.NodeStats> nodes) {
    }

    /** Client instances of one library on the cluster, each with a {@link ClusterCounter} connection. */
    static final class ClusterClients implements AutoCloseable {
        final List<LockClient> locks = new ArrayList<>();
        final List<ClusterCounter> counters = new ArrayList<>();

        ClusterClients(Library library, BenchCluster cluster, int count) {
            try {
                for (int i = 0; i < count; i++) {
                    locks.add(library.connect(cluster.uri(), DEFAULT_LEASE));
                    counters.add(new ClusterCounter(cluster.seeds()));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            locks.forEach(LockClient::close);
            counters.forEach(ClusterCounter::close);
        }
    }

    /**
     * Warms up, then runs {@code groups} for the timed duration between two snapshots of every node
     * (each once the bus has delivered what was published before it), and puts into {@code m} the
     * masters' commands and CPU per operation of group {@code perOpOf}, the replicas' replicated
     * commands and the bus's pub/sub messages per operation.
     */
    static Run measure(BenchCluster cluster, Settings settings, List<Load.Group> groups, String perOpOf, Measurement m)
            throws InterruptedException {
        Load.run(settings.warmup(), groups);
        Map<RedisServer, BenchCluster.NodeStats> before = cluster.settled();
        Load.Result timed = Load.run(settings.timed(), groups);
        Map<RedisServer, BenchCluster.NodeStats> nodes = BenchCluster.delta(before, cluster.settled());
        long ops = timed.ops().get(perOpOf);
        double n = Math.max(1, ops);
        m.redisWork(BenchCluster.NodeStats.total(cluster.masters().stream().map(nodes::get).toList()), ops);
        m.put(REPLICATED, BenchCluster.NodeStats.total(nodes.entrySet().stream()
                .filter(e -> !cluster.masters().contains(e.getKey())).map(Map.Entry::getValue).toList())
                .totalCommands() / n);
        m.put(BUS_MESSAGES, nodes.values().stream().mapToLong(BenchCluster.NodeStats::busMessages).sum() / n);
        return new Run(timed, nodes);
    }

    /** The cluster, emptied; names are picked and clients connected after this. */
    static BenchCluster freshCluster(Bench bench) {
        BenchCluster cluster = bench.cluster();
        cluster.flush();
        return cluster;
    }
}
