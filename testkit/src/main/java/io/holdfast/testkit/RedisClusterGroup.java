package io.holdfast.testkit;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Redis Cluster for tests: {@code N} masters (default 3), each with {@code R} replicas
 * (default 1), all {@code redis-server} processes from the same binary as {@link RedisServer}
 * (found the same way, see {@link RedisServer#start()}; there is no container fallback). Every
 * node listens on its own free port of {@code 127.0.0.1} (its cluster bus on that port + 10000)
 * and runs with {@code --cluster-enabled yes --cluster-node-timeout 1000} (see
 * {@link Builder#nodeTimeout(Duration)}) and {@code --cluster-replica-validity-factor 0} (a
 * replica may always take over). Its cluster configuration file {@code nodes.conf} and its log
 * live in the node's own temporary directory, so a node keeps its id across
 * {@link RedisServer#restart()}; the last lines of the logs are included in failure messages.
 *
 * <p>{@link #start()} builds the cluster the way {@code redis-cli --cluster create} does, from
 * Java: a distinct config epoch per node, the 16384 slots split into contiguous even ranges over
 * the masters ({@code CLUSTER ADDSLOTS}), {@code CLUSTER MEET} from the first node to all others,
 * {@code CLUSTER REPLICATE} on each replica once every node knows every other. It then waits (at
 * most 30 s) until the cluster is stable: every running node says {@code cluster_state:ok} and all
 * running nodes agree on every node's role, master and slots (their {@code CLUSTER NODES}
 * without the volatile columns), no failure is pending, and every replica's link to its master is
 * up.
 *
 * <pre>{@code
 * try (RedisClusterGroup cluster = RedisClusterGroup.start()) {
 *     RedisClusterClient client = RedisClusterClient.create(cluster.seedUris());
 *     ...
 *     RedisServer master = cluster.nodeFor("key");
 *     cluster.killMaster(master);
 *     RedisServer promoted = cluster.awaitFailover(master, Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>{@link #close()} kills every node and deletes their directories; nodes left over at JVM exit
 * are killed by the testkit's shutdown hook. Instances are safe to use from several threads:
 * public methods are {@code synchronized}.
 */
public final class RedisClusterGroup implements AutoCloseable {

    /** The number of hash slots of a Redis Cluster. */
    public static final int SLOTS = SlotHash.SLOT_COUNT;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int MIGRATE_BATCH = 100;
    private static final int MIGRATE_TIMEOUT_MILLIS = 5000;
    private static final int LOG_TAIL_LINES = 15;

    private final List<ProcessRedisServer> nodes = new ArrayList<>();
    private final Map<ProcessRedisServer, String> ids = new HashMap<>();
    /** The slots each node id served in the last stable view, to follow them after a kill. */
    private final Map<String, List<int[]>> lastKnownSlots = new HashMap<>();
    private boolean closed;

    private RedisClusterGroup() {}

    /**
     * Starts a cluster with the defaults (3 masters, 1 replica each) and waits until it is
     * stable (see the class description).
     *
     * @throws IllegalStateException if no {@code redis-server} binary is available or the
     *     cluster is not stable within 30 s (the message includes the nodes' views and log tails)
     */
    public static RedisClusterGroup start() {
        return builder().start();
    }

    /** Returns a builder to change the number of masters and replicas, timings or binary. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A seed URI naming every node, {@code redis://127.0.0.1:P1,127.0.0.1:P2,...}, as
     * {@code RedisClusterClient.create(String)} accepts it.
     */
    public synchronized String uri() {
        return "redis://" + nodes.stream().map(n -> n.host() + ":" + n.port())
                .collect(Collectors.joining(","));
    }

    /** One {@link RedisURI} per node, for {@code RedisClusterClient.create(Iterable)}. */
    public synchronized List<RedisURI> seedUris() {
        return nodes.stream().map(n -> RedisURI.create(n.host(), n.port()))
                .collect(Collectors.toUnmodifiableList());
    }

    /** Every node, masters first in start order, then replicas; killed nodes stay listed. */
    public synchronized List<RedisServer> servers() {
        return List.copyOf(nodes);
    }

    /**
     * The running nodes that are masters now, as the first running node sees them
     * ({@code CLUSTER NODES}); ordered by their first slot.
     */
    public synchronized List<RedisServer> masters() {
        return currentView().values().stream()
                .filter(line -> line.master && !line.failed())
                .sorted((a, b) -> Integer.compare(a.firstSlot(), b.firstSlot()))
                .map(line -> server(line.id))
                .filter(RedisServer::isRunning)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The running nodes that are replicas now, as the first running node sees them. */
    public synchronized List<RedisServer> replicas() {
        return currentView().values().stream()
                .filter(line -> !line.master && !line.failed())
                .map(line -> server(line.id))
                .filter(RedisServer::isRunning)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The running replicas of {@code master}, as the first running node sees them. */
    public synchronized List<RedisServer> replicasOf(RedisServer master) {
        String masterId = nodeId(master);
        return currentView().values().stream()
                .filter(line -> !line.master && !line.failed() && masterId.equals(line.masterId))
                .map(line -> server(line.id))
                .filter(RedisServer::isRunning)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The cluster node id of {@code node} ({@code CLUSTER MYID}, read at start). */
    public synchronized String nodeId(RedisServer node) {
        String id = ids.get(node);
        if (id == null) {
            throw new IllegalArgumentException(node + " is not a node of " + this);
        }
        return id;
    }

    /** The hash slot of {@code key} (CRC16 of the key or its {@code {hash tag}}, mod 16384). */
    public static int slotOf(String key) {
        return SlotHash.getSlot(key);
    }

    /** The master serving {@code key}'s slot, as the first running node sees it. */
    public synchronized RedisServer nodeFor(String key) {
        return nodeForSlot(slotOf(key));
    }

    /**
     * The master serving {@code slot}, as the first running node sees it.
     *
     * @throws IllegalStateException if that node knows no live master for the slot
     */
    public synchronized RedisServer nodeForSlot(int slot) {
        return currentView().values().stream()
                .filter(line -> line.master && !line.failed() && line.serves(slot))
                .findFirst()
                .map(line -> server(line.id))
                .orElseThrow(() -> new IllegalStateException("no live master serves slot " + slot));
    }

    /**
     * Kills master {@code node} with {@code SIGKILL} (see {@link RedisServer#kill()}) after
     * noting the slots it serves, so {@link #awaitFailover(RedisServer, Duration)} can tell who
     * serves them next. Its replica is promoted once the other masters have agreed it failed,
     * typically 2 to 4 s later with the default node timeout.
     *
     * @throws IllegalArgumentException if {@code node} is not currently a master with slots
     */
    public synchronized void killMaster(RedisServer node) {
        String id = nodeId(node);
        NodeLine line = currentView().get(id);
        if (line == null || !line.master || line.slots.isEmpty()) {
            throw new IllegalArgumentException(node + " is not a master with slots: " + line);
        }
        lastKnownSlots.put(id, line.slots);
        node.kill();
    }

    /**
     * Waits until the slots {@code oldMaster} served (when last seen stable, or when
     * {@link #killMaster(RedisServer)} was called) are served by another running master, and
     * the cluster is stable again (see the class description; nodes that are down take no part
     * and must be marked failed by the others). Returns the new master. Polls every 50 ms until
     * {@code timeout}.
     *
     * @throws IllegalStateException on timeout, with the nodes' views and log tails
     */
    public synchronized RedisServer awaitFailover(RedisServer oldMaster, Duration timeout) {
        String oldId = nodeId(oldMaster);
        List<int[]> slots = lastKnownSlots.get(oldId);
        if (slots == null || slots.isEmpty()) {
            throw new IllegalArgumentException(oldMaster + " served no slots when last seen");
        }
        int slot = slots.get(0)[0];
        AtomicReference<RedisServer> promoted = new AtomicReference<>();
        awaitStable("a new master for the slots of " + oldMaster, timeout, view -> {
            Optional<NodeLine> owner = view.values().stream()
                    .filter(line -> line.master && !line.failed() && line.serves(slot))
                    .findFirst();
            if (owner.isEmpty() || owner.get().id.equals(oldId)) {
                return false;
            }
            promoted.set(server(owner.get().id));
            return promoted.get().isRunning();
        });
        return promoted.get();
    }

    /**
     * Waits (at most {@code timeout}) until the cluster is stable, as described on the class.
     *
     * @throws IllegalStateException on timeout, with the nodes' views and log tails
     */
    public synchronized void awaitStable(Duration timeout) {
        awaitStable("a stable cluster", timeout, view -> true);
    }

    /**
     * Waits (at most {@code timeout}) until the cluster bus has delivered the pub/sub messages
     * published before the call: until two readings of every running node's
     * {@code cluster_stats_messages_publish_received} and {@code ..._publishshard_received}
     * ({@code CLUSTER INFO}), 100 ms apart, agree. A message reaches the other nodes of its shard
     * (or, classic, every node) a little after its {@code PUBLISH} returned, so counters read at once
     * miss some; for instance a client's connect-time probes can land after a baseline.
     *
     * @param timeout the longest wait
     * @return whether the counters stopped moving within {@code timeout}
     */
    public boolean awaitQuietBus(Duration timeout) {
        AtomicReference<Map<RedisServer, String>> last = new AtomicReference<>(busCounters());
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Map<RedisServer, String> now = busCounters();
                        return now.equals(last.getAndSet(now));
                    });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Per running node, its two bus pub/sub counters as they read in {@code CLUSTER INFO}. */
    private Map<RedisServer, String> busCounters() {
        Map<RedisServer, String> counters = new HashMap<>();
        for (RedisServer node : servers()) {
            if (node.isRunning()) {
                counters.put(node, node.commands().clusterInfo().lines()
                        .filter(l -> l.startsWith("cluster_stats_messages_publish"))
                        .collect(Collectors.joining(",")));
            }
        }
        return counters;
    }

    /**
     * Moves {@code slot} and its keys from master {@code from} to master {@code to} the way
     * {@code redis-cli --cluster reshard} does: {@code CLUSTER SETSLOT <slot> IMPORTING} on
     * {@code to}, {@code MIGRATING} on {@code from}, then {@code MIGRATE ... KEYS} in batches of
     * 100 keys ({@code CLUSTER GETKEYSINSLOT}) until the slot is empty on {@code from}, then
     * {@code CLUSTER SETSLOT <slot> NODE <to>} on {@code to}, {@code from} and every other running
     * master. Waits (at most 15 s) until the cluster is stable with {@code to} serving the slot.
     * Clients that still send the slot's keys to {@code from} get {@code ASK} during the move and
     * {@code MOVED} after it.
     *
     * @return the number of keys moved
     * @throws IllegalArgumentException if {@code from} does not serve the slot or {@code to} is
     *     not a master
     */
    public synchronized int migrateSlot(int slot, RedisServer from, RedisServer to) {
        String fromId = nodeId(from);
        String toId = nodeId(to);
        Map<String, NodeLine> view = currentView();
        if (!view.get(fromId).serves(slot)) {
            throw new IllegalArgumentException(from + " does not serve slot " + slot);
        }
        if (!view.get(toId).master || from == to) {
            throw new IllegalArgumentException(to + " is not another master");
        }
        to.commands().clusterSetSlotImporting(slot, fromId);
        from.commands().clusterSetSlotMigrating(slot, toId);
        int moved = 0;
        for (List<String> keys; !(keys = from.commands().clusterGetKeysInSlot(slot, MIGRATE_BATCH))
                .isEmpty(); ) {
            from.commands().migrate(to.host(), to.port(), 0, MIGRATE_TIMEOUT_MILLIS,
                    MigrateArgs.Builder.keys(keys));
            moved += keys.size();
        }
        to.commands().clusterSetSlotNode(slot, toId);
        from.commands().clusterSetSlotNode(slot, toId);
        for (RedisServer master : masters()) {
            if (master != from && master != to) {
                master.commands().clusterSetSlotNode(slot, toId);
            }
        }
        awaitStable("slot " + slot + " served by " + to, MIGRATION_TIMEOUT,
                v -> v.get(toId).serves(slot) && !v.get(fromId).serves(slot));
        return moved;
    }

    /** Kills every node and deletes their temporary directories. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.forEach(ProcessRedisServer::close);
    }

    @Override
    public synchronized String toString() {
        return "RedisClusterGroup" + nodes;
    }

    private void launch(Path binary, int masters, int replicasPerMaster, Duration nodeTimeout) {
        List<String> args = List.of("--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                "--cluster-replica-validity-factor", "0");
        int total = masters * (1 + replicasPerMaster);
        for (int i = 0; i < total; i++) {
            ProcessRedisServer node = ProcessRedisServer.startClusterNode(binary, args);
            nodes.add(node);
            ids.put(node, node.commands().clusterMyId());
            node.commands().clusterSetConfigEpoch(i + 1);
        }
        for (int i = 0; i < masters; i++) {
            int first = i * SLOTS / masters;
            int last = (i + 1) * SLOTS / masters;
            nodes.get(i).commands().clusterAddSlots(IntStream.range(first, last).toArray());
        }
        ProcessRedisServer first = nodes.get(0);
        for (ProcessRedisServer node : nodes.subList(1, total)) {
            first.commands().clusterMeet(node.host(), node.port());
        }
        awaitEveryNodeKnowsAll();
        for (int i = masters; i < total; i++) {
            ProcessRedisServer master = nodes.get((i - masters) % masters);
            nodes.get(i).commands().clusterReplicate(ids.get(master));
        }
        awaitStable("a stable cluster of " + total + " nodes", START_TIMEOUT, view -> {
            for (ProcessRedisServer node : nodes.subList(masters, total)) {
                if (!node.commands().info("replication").contains("master_link_status:up")) {
                    return false;
                }
            }
            return true;
        });
    }

    private void awaitEveryNodeKnowsAll() {
        try {
            Awaitility.await("every node knows all " + nodes.size() + " nodes")
                    .atMost(START_TIMEOUT)
                    .pollInterval(POLL)
                    .pollInSameThread()
                    .ignoreExceptions()
                    .until(() -> nodes.stream().allMatch(node -> {
                        Map<String, NodeLine> view = parse(node.commands().clusterNodes());
                        return view.size() == nodes.size()
                                && view.values().stream().noneMatch(line -> line.handshake);
                    }));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("cluster nodes did not meet within " + START_TIMEOUT
                    + "\n" + describe(), e);
        }
    }

    /**
     * Waits until every running node says cluster_state:ok, all running nodes have the same
     * canonical view with no pending failure or handshake, and {@code condition} holds on it;
     * then remembers each master's slots.
     */
    private void awaitStable(String what, Duration timeout, ViewCondition condition) {
        requireOpen();
        AtomicReference<Map<String, NodeLine>> stable = new AtomicReference<>();
        try {
            Awaitility.await(what)
                    .atMost(timeout)
                    .pollInterval(POLL)
                    .pollInSameThread()
                    .ignoreExceptions()
                    .until(() -> {
                        Map<String, NodeLine> agreed = null;
                        String agreedText = null;
                        for (ProcessRedisServer node : nodes) {
                            if (!node.isRunning()) {
                                continue;
                            }
                            if (!node.commands().clusterInfo().contains("cluster_state:ok")) {
                                return false;
                            }
                            Map<String, NodeLine> view = parse(node.commands().clusterNodes());
                            String text = canonical(view);
                            if (view.size() != nodes.size()
                                    || view.values().stream().anyMatch(NodeLine::unsettled)
                                    || (agreedText != null && !agreedText.equals(text))) {
                                return false;
                            }
                            for (NodeLine line : view.values()) {
                                if (line.failed() == server(line.id).isRunning()) {
                                    return false;
                                }
                            }
                            agreed = view;
                            agreedText = text;
                        }
                        if (agreed == null || !condition.holds(agreed)) {
                            return false;
                        }
                        stable.set(agreed);
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("no " + what + " within " + timeout + "\n"
                    + describe(), e);
        }
        for (NodeLine line : stable.get().values()) {
            if (line.master && !line.slots.isEmpty()) {
                lastKnownSlots.put(line.id, line.slots);
            }
        }
    }

    /** The view of the first running node that answers {@code CLUSTER NODES}. */
    private Map<String, NodeLine> currentView() {
        requireOpen();
        RuntimeException last = null;
        for (ProcessRedisServer node : nodes) {
            if (node.isRunning()) {
                try {
                    return parse(node.commands().clusterNodes());
                } catch (RuntimeException e) {
                    last = e;
                }
            }
        }
        throw new IllegalStateException("no running node of " + this + " answers", last);
    }

    private ProcessRedisServer server(String id) {
        return ids.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown node id " + id));
    }

    /** What every running node says and the tail of every log, for failure messages. */
    private String describe() {
        StringBuilder text = new StringBuilder();
        for (ProcessRedisServer node : nodes) {
            text.append("--- ").append(node).append(" id=").append(ids.get(node));
            if (node.isRunning()) {
                try {
                    String info = node.commands().clusterInfo();
                    text.append(info.lines().filter(l -> l.startsWith("cluster_state"))
                                    .findFirst().orElse(""))
                            .append("\n").append(node.commands().clusterNodes());
                } catch (RuntimeException e) {
                    text.append(" ").append(e).append('\n');
                }
            } else {
                text.append(" (not running)\n");
            }
            text.append("log tail:\n").append(node.logTail(LOG_TAIL_LINES)).append('\n');
        }
        return text.toString();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Parses {@code CLUSTER NODES}, keyed by node id in id order. */
    static Map<String, NodeLine> parse(String clusterNodes) {
        Map<String, NodeLine> view = new TreeMap<>();
        for (String row : clusterNodes.split("\n")) {
            if (row.isBlank()) {
                continue;
            }
            String[] fields = row.trim().split(" ");
            List<String> flags = Arrays.asList(fields[2].split(","));
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a migration in progress, shown by the node itself only
                }
                String[] range = fields[i].split("-");
                int start = Integer.parseInt(range[0]);
                slots.add(new int[] {start, Integer.parseInt(range[range.length - 1])});
            }
            view.put(fields[0], new NodeLine(fields[0], flags.contains("master"), fields[3],
                    List.copyOf(slots), flags.contains("fail"), flags.contains("fail?"),
                    flags.contains("handshake") || flags.contains("noaddr")));
        }
        return view;
    }

    /** The parts of a view every node must agree on: role, master, slots and failure. */
    private static String canonical(Map<String, NodeLine> view) {
        return view.values().stream().map(line -> line.id + " "
                        + (line.master ? "master" : "replica-of " + line.masterId)
                        + line.slots.stream().map(r -> " " + r[0] + "-" + r[1])
                                .collect(Collectors.joining())
                        + (line.fail ? " fail" : ""))
                .collect(Collectors.joining("\n"));
    }

    /** One row of {@code CLUSTER NODES}. */
    record NodeLine(String id, boolean master, String masterId, List<int[]> slots, boolean fail,
                    boolean pfail, boolean handshake) {

        boolean failed() {
            return fail;
        }

        boolean unsettled() {
            return pfail || handshake;
        }

        boolean serves(int slot) {
            return slots.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
        }

        int firstSlot() {
            return slots.isEmpty() ? Integer.MAX_VALUE : slots.get(0)[0];
        }
    }

    @FunctionalInterface
    private interface ViewCondition {
        boolean holds(Map<String, NodeLine> view);
    }

    /**
     * Configures and starts a {@link RedisClusterGroup}; obtain one with
     * {@link RedisClusterGroup#builder()}. Not thread-safe; each {@link #start()} starts a new
     * cluster.
     */
    public static final class Builder {

        private int masters = 3;
        private int replicasPerMaster = 1;
        private Duration nodeTimeout = Duration.ofMillis(1000);
        private Path binary;

        private Builder() {}

        /**
         * The number of masters (default 3). A failover needs a majority of masters alive to
         * agree, so tests that kill one need at least 3.
         */
        public Builder masters(int masters) {
            if (masters < 1 || masters > SLOTS) {
                throw new IllegalArgumentException("masters out of range: " + masters);
            }
            this.masters = masters;
            return this;
        }

        /** The number of replicas of each master (default 1; 0 means no failover). */
        public Builder replicasPerMaster(int replicasPerMaster) {
            if (replicasPerMaster < 0) {
                throw new IllegalArgumentException("replicasPerMaster < 0: " + replicasPerMaster);
            }
            this.replicasPerMaster = replicasPerMaster;
            return this;
        }

        /**
         * The nodes' {@code cluster-node-timeout} (default 1 s): how long a node must be
         * unreachable before it is suspected to have failed.
         */
        public Builder nodeTimeout(Duration nodeTimeout) {
            this.nodeTimeout = Objects.requireNonNull(nodeTimeout, "nodeTimeout");
            return this;
        }

        /** Uses this {@code redis-server} binary, as {@link RedisServerBuilder#binary(Path)}. */
        public Builder binary(Path redisServer) {
            this.binary = Objects.requireNonNull(redisServer, "redisServer");
            return this;
        }

        /**
         * Starts the cluster as described on {@link RedisClusterGroup} and waits (at most 30 s)
         * until it is stable. On failure every node started so far is killed.
         *
         * @throws IllegalStateException if no {@code redis-server} binary is available or the
         *     cluster is not stable in time (the message includes the views and log tails)
         */
        public RedisClusterGroup start() {
            Optional<Path> redisServer = RedisBinary.locate(binary);
            if (redisServer.isEmpty()) {
                throw new IllegalStateException("a cluster needs a redis-server binary. "
                        + RedisBinary.noRedisMessage());
            }
            RedisClusterGroup cluster = new RedisClusterGroup();
            try {
                cluster.launch(redisServer.get(), masters, replicasPerMaster, nodeTimeout);
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }
    }
}
