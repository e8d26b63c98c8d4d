package io.holdfast.bench;

import io.holdfast.testkit.RedisClusterGroup;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Redis Cluster of the {@code cluster-*} scenarios (issue 14): masters with a replica each
 * ({@link Settings#cluster()}), every node a throwaway {@code redis-server} of the testkit
 * ({@link RedisClusterGroup}, same binary as the standalone server), started the first time a cluster
 * scenario runs and shared by every cluster scenario of the run. Both libraries connect to the same
 * cluster with every node as a seed; the bench reads each node's own counters through the testkit's
 * fixture connections.
 */
final class BenchCluster implements AutoCloseable {

    private final RedisClusterGroup group;
    /** Masters by first slot, read once at start (the scenarios fail no node). */
    private final List<RedisServer> masters;
    private final Map<RedisServer, List<RedisServer>> shards = new LinkedHashMap<>();

    private BenchCluster(RedisClusterGroup group) {
        this.group = group;
        this.masters = group.masters();
        for (RedisServer master : masters) {
            List<RedisServer> shard = new ArrayList<>();
            shard.add(master);
            shard.addAll(group.replicasOf(master));
            shards.put(master, List.copyOf(shard));
        }
    }

    /** Starts the cluster and waits until it is stable (at most 30 s, see {@link RedisClusterGroup}). */
    static BenchCluster start(Settings.ClusterSizes sizes) {
        System.err.printf("[bench] starting a Redis Cluster of %d masters with %d replica(s) each%n",
                sizes.masters(), sizes.replicasPerMaster());
        BenchCluster cluster = new BenchCluster(RedisClusterGroup.builder().masters(sizes.masters())
                .replicasPerMaster(sizes.replicasPerMaster()).start());
        System.err.println("[bench] cluster up: " + cluster.describe());
        return cluster;
    }

    /** {@code redis-cluster://h:p,h:p,...}, every node a seed: the URI Holdfast takes and Redisson's config is made from. */
    String uri() {
        return "redis-cluster://" + group.servers().stream().map(n -> n.host() + ":" + n.port())
                .collect(Collectors.joining(","));
    }

    /** One URI per node, for a Lettuce cluster client of the bench's own. */
    List<RedisURI> seeds() {
        return group.seedUris();
    }

    /** Every node, masters first. */
    List<RedisServer> nodes() {
        return group.servers();
    }

    /** The masters, by first slot. */
    List<RedisServer> masters() {
        return masters;
    }

    /** {@code master} and its replicas: the nodes a sharded message of the master's slots reaches. */
    List<RedisServer> shardOf(RedisServer master) {
        return shards.get(master);
    }

    /** "3 masters + 3 replicas, Redis 7.0.15". */
    String describe() {
        String info = masters.get(0).commands().info("server");
        String version = info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                .map(l -> l.substring("redis_version:".length()).trim()).orElse("?");
        return masters.size() + " masters + " + (nodes().size() - masters.size()) + " replicas, Redis " + version;
    }

    /**
     * {@code perMaster} lock names per master ({@code prefix + i}) for {@code client}, in master order:
     * name {@code j} of the result has its key ({@link LockClient#keyOf}) on master {@code j % masters}.
     * Names without braces hash alike for Holdfast ({@code holdfast:{NAME}}) and Redisson ({@code NAME}),
     * so both get the same names.
     */
    List<String> namesOnEveryMaster(LockClient client, String prefix, int perMaster) {
        Map<RedisServer, List<String>> byMaster = new LinkedHashMap<>();
        masters.forEach(m -> byMaster.put(m, new ArrayList<>()));
        for (int i = 0; byMaster.values().stream().anyMatch(l -> l.size() < perMaster); i++) {
            if (i == 100_000) {
                throw new IllegalStateException("the keys of " + client + " do not spread over every master: "
                        + client.keyOf(prefix + 0) + ", " + client.keyOf(prefix + 1) + ", ...");
            }
            String name = prefix + i;
            List<String> names = byMaster.get(masterOf(client.keyOf(name)));
            if (names.size() < perMaster) {
                names.add(name);
            }
        }
        List<String> all = new ArrayList<>();
        for (int k = 0; k < perMaster; k++) {
            for (List<String> names : byMaster.values()) {
                all.add(names.get(k));
            }
        }
        return all;
    }

    /** The master serving {@code key}'s slot ({@code CLUSTER NODES} of a node: call it outside a measured window). */
    RedisServer masterOf(String key) {
        return group.nodeFor(key);
    }

    /** Deletes every key on every master (replicas follow). */
    void flush() {
        masters.forEach(m -> m.commands().flushall());
    }

    /** Each node's counters now, in {@link #nodes()} order. */
    Map<RedisServer, NodeStats> snapshot() {
        Map<RedisServer, NodeStats> all = new LinkedHashMap<>();
        for (RedisServer node : nodes()) {
            all.put(node, NodeStats.read(node));
        }
        return all;
    }

    /**
     * Each node's counters once the bus has delivered what was published before the call (the
     * testkit's {@code awaitQuietBus}, at most 2 s).
     */
    Map<RedisServer, NodeStats> settled() {
        group.awaitQuietBus(java.time.Duration.ofSeconds(2));
        return snapshot();
    }

    /** {@code later − earlier} per node. */
    static Map<RedisServer, NodeStats> delta(Map<RedisServer, NodeStats> earlier, Map<RedisServer, NodeStats> later) {
        Map<RedisServer, NodeStats> delta = new LinkedHashMap<>();
        later.forEach((node, s) -> delta.put(node, s.minus(earlier.get(node))));
        return delta;
    }

    @Override
    public void close() {
        group.close();
    }

    /**
     * One node's counters: its commands and CPU ({@code INFO commandstats}, {@code INFO cpu}; the
     * bench's own {@code CLUSTER INFO} calls left out) and the pub/sub messages it received from other
     * nodes over the cluster bus ({@code CLUSTER INFO}: classic {@code PUBLISH} and sharded
     * {@code SPUBLISH} ones).
     *
     * @param work commands and CPU
     * @param publishReceived {@code cluster_stats_messages_publish_received}
     * @param publishShardReceived {@code cluster_stats_messages_publishshard_received}
     */
    record NodeStats(RedisWork work, long publishReceived, long publishShardReceived) {

        static NodeStats read(RedisServer node) {
            String info = node.commands().clusterInfo();
            RedisWork work = RedisWork.parse(node.commands().info("commandstats"), node.commands().info("cpu"));
            return new NodeStats(work, field(info, "cluster_stats_messages_publish_received"),
                    field(info, "cluster_stats_messages_publishshard_received"));
        }

        /** Pub/sub messages of both kinds received over the bus. */
        long busMessages() {
            return publishReceived + publishShardReceived;
        }

        /** {@code PUBLISH} + {@code SPUBLISH} calls on this node, scripts' calls included. */
        long published() {
            return work.calls().getOrDefault("publish", 0L) + work.calls().getOrDefault("spublish", 0L);
        }

        NodeStats minus(NodeStats earlier) {
            Map<String, Long> calls = new HashMap<>(work.minus(earlier.work).calls());
            calls.remove("cluster|info"); // the bench's own snapshots
            return new NodeStats(new RedisWork(calls, work.cpuSeconds() - earlier.work.cpuSeconds()),
                    publishReceived - earlier.publishReceived, publishShardReceived - earlier.publishShardReceived);
        }

        /** The sum of {@code stats}' work, for the per-operation totals of a whole cluster. */
        static RedisWork total(Iterable<NodeStats> stats) {
            Map<String, Long> calls = new HashMap<>();
            double cpu = 0;
            for (NodeStats s : stats) {
                s.work.calls().forEach((cmd, n) -> calls.merge(cmd, n, Long::sum));
                cpu += s.work.cpuSeconds();
            }
            return new RedisWork(calls, cpu);
        }

        private static long field(String info, String name) {
            return info.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                    .map(l -> Long.parseLong(l.substring(name.length() + 1).trim())).orElse(0L);
        }
    }
}
