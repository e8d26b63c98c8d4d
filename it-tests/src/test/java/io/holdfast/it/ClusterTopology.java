package io.holdfast.it;

import io.holdfast.testkit.RedisClusterGroup;
import io.holdfast.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis Cluster of 3 masters with a replica each for one test class (register it as a static
 * extension): started before the class, every master flushed before each test, all stopped after.
 * The contract tests on a Cluster connect with {@link #uri()} and look at {@link #nodeFor(String)}.
 */
public final class ClusterTopology implements ContractTopology, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private RedisClusterGroup group;

    @Override
    public void beforeAll(ExtensionContext context) {
        group = RedisClusterGroup.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        group.masters().forEach(m -> m.commands().flushall());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        group.close();
    }

    /** The cluster itself, for faults (failover, migration). */
    public RedisClusterGroup group() {
        return group;
    }

    /** {@code redis-cluster://} with every node as a seed. */
    public String uri() {
        return "redis-cluster://" + group.servers().stream().map(n -> n.host() + ":" + n.port())
                .collect(Collectors.joining(","));
    }

    /** The master that serves {@code key}'s slot now. */
    public RedisServer nodeFor(String key) {
        return group.nodeFor(key);
    }

    /** The first master (by slot). */
    public RedisServer firstMaster() {
        return group.masters().get(0);
    }

    /**
     * {@code perMaster} lock names for each master (the masters in their order), found by trying
     * {@code prefix + 0}, {@code prefix + 1}, ... under the default key prefix.
     */
    public List<String> namesOnEveryMaster(String prefix, int perMaster) {
        List<RedisServer> masters = group.masters();
        java.util.Map<RedisServer, List<String>> byMaster = new java.util.LinkedHashMap<>();
        masters.forEach(m -> byMaster.put(m, new ArrayList<>()));
        for (int i = 0; byMaster.values().stream().anyMatch(l -> l.size() < perMaster); i++) {
            String name = prefix + i;
            List<String> names = byMaster.get(group.nodeFor("holdfast:{" + name + "}"));
            if (names.size() < perMaster) {
                names.add(name);
            }
        }
        List<String> all = new ArrayList<>();
        byMaster.values().forEach(all::addAll);
        return all;
    }

    /**
     * The channels matching {@code pattern} that clients subscribed to: with sharded pub/sub (Redis
     * 7+) {@code PUBSUB SHARDCHANNELS} of every master together; with classic pub/sub (Redis 6.2)
     * the distinct {@code PUBSUB CHANNELS} of every running node.
     */
    public List<String> subscribedChannels(String pattern) {
        List<String> all = new ArrayList<>();
        if (sharded()) {
            group.masters().forEach(m -> all.addAll(m.commands().pubsubShardChannels(pattern)));
        } else {
            group.servers().stream().filter(RedisServer::isRunning).flatMap(n -> n.commands().pubsubChannels(pattern)
                    .stream()).distinct().forEach(all::add);
        }
        return all;
    }

    /** Whether the servers have sharded pub/sub (Redis 7+), which Holdfast then uses on a Cluster. */
    public boolean sharded() {
        return !firstMaster().commands().info("server").contains("redis_version:6.");
    }

    @Override
    public RedisServer server() {
        return firstMaster();
    }

    @Override
    public RedisServer serverOf(String key) {
        return nodeFor(key);
    }

    @Override
    public List<String> subscribedChannels() {
        return subscribedChannels("holdfast:*");
    }
}
