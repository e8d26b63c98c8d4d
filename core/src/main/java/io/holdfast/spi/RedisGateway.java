package io.holdfast.spi;

import io.holdfast.internal.Errors;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's one command connection, seen through the asynchronous API: to one server (standalone,
 * or the master found through Sentinels), or to a Redis Cluster, where Lettuce routes each command
 * by the slot of its first key and follows {@code MOVED}/{@code ASK}. Scripts run by
 * {@code EVALSHA}; a {@code NOSCRIPT} reply (after a restart or {@code SCRIPT FLUSH}, on the node
 * that owns the script's slot) is answered by one {@code EVAL} of the source, which also puts the
 * script back into that server's cache.
 */
public final class RedisGateway {

    private final RedisClusterAsyncCommands<String, String> async;
    private final String endpoint;
    private final AtomicLong disconnects;
    private final Servers servers;
    private final boolean shardedPubSub;
    /** The last run_id seen per node ({@link Servers#nodeOf}); "" for a standalone server. */
    private final Map<String, String> serverIds = new ConcurrentHashMap<>();

    /**
     * Which server process holds a key: the one server, or on a Cluster the master that owns the
     * key's slot now. Lets {@link #serverId(String)} name the process whose memory has the key.
     */
    public interface Servers {

        /** A name for the node that serves {@code key} now: its Cluster node id, or "" (one server). */
        String nodeOf(String key);

        /** {@code INFO server} of node {@code node} (a name {@link #nodeOf} gave). */
        CompletionStage<String> infoServer(String node);

        /** The Cluster slot of {@code key}; 0 for every key on one server. */
        default int slotOf(String key) {
            return 0;
        }

        /**
         * {@code WAIT replicas timeout} on the connection that carries {@code key}'s commands (on a
         * Cluster: that of the master of its slot), so that it counts the replicas that have what
         * that connection wrote.
         */
        CompletionStage<Long> waitForReplicas(String key, int replicas, long timeoutMillis);
    }

    /**
     * {@code WAIT replicas timeout} after the writes sent for {@code key}: on the one connection, or
     * on a Cluster on the connection to the master of {@code key}'s slot (per shard; the replicas
     * counted are that master's). Completes with the number of replicas that acknowledged.
     */
    public CompletableFuture<Long> waitForReplicas(String key, int replicas, long timeoutMillis) {
        return servers.waitForReplicas(key, replicas, timeoutMillis).toCompletableFuture();
    }

    /**
     * The slot a batch of keys must share to go out as one script call: the Cluster slot of
     * {@code key}, or 0 for every key on one server (where one call may touch keys of any names).
     */
    public int slotOf(String key) {
        return servers.slotOf(key);
    }

    /** A gateway whose connection loss nobody counts (tests of parts that never release). */
    public RedisGateway(RedisClusterAsyncCommands<String, String> async, String endpoint) {
        this(async, endpoint, new AtomicLong());
    }

    /**
     * A gateway to one server, which publishes wake-ups by classic pub/sub.
     *
     * @param disconnects counts the times the command connection was lost: a command in flight
     *     across one may have run twice (Lettuce re-sends commands whose replies it did not read)
     */
    public RedisGateway(RedisClusterAsyncCommands<String, String> async, String endpoint, AtomicLong disconnects) {
        this(async, endpoint, disconnects, oneServer(async), false);
    }

    /**
     * A gateway to one server or a Cluster.
     *
     * @param disconnects counts the times a command connection (to any node) was lost
     * @param servers which process holds a key (for {@link #serverId(String)})
     * @param shardedPubSub whether scripts publish with {@code SPUBLISH} (a Cluster of Redis 7+;
     *     see {@link Script#withShardedPubSub()})
     */
    public RedisGateway(RedisClusterAsyncCommands<String, String> async, String endpoint, AtomicLong disconnects,
            Servers servers, boolean shardedPubSub) {
        this.async = async;
        this.endpoint = endpoint;
        this.disconnects = disconnects;
        this.servers = servers;
        this.shardedPubSub = shardedPubSub;
    }

    private static Servers oneServer(RedisClusterAsyncCommands<String, String> async) {
        return new Servers() {
            @Override
            public String nodeOf(String key) {
                return "";
            }

            @Override
            public CompletionStage<String> infoServer(String node) {
                return async.info("server");
            }

            @Override
            public CompletionStage<Long> waitForReplicas(String key, int replicas, long timeoutMillis) {
                return async.waitForReplication(replicas, timeoutMillis);
            }
        };
    }

    /**
     * Whether wake-ups go by sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}, on the node of
     * the lock's slot only) rather than classic pub/sub: true on a Redis Cluster of Redis 7+.
     */
    public boolean shardedPubSub() {
        return shardedPubSub;
    }

    /**
     * How many times the command connection was lost so far. Delivery is at least once: a command
     * sent before a loss and answered after it may have run twice. Holdfast's scripts are written
     * so that a second run changes nothing (they carry the count the client expects); the one reply
     * that differs is "not held" from a release whose first run already released the hold, which
     * the engine tells apart with this count.
     */
    public long disconnects() {
        return disconnects.get();
    }

    /**
     * The {@code run_id} of the server process that holds {@code key}, as last seen (read at
     * connect and after every reconnect, see {@link #refreshServerId(String)}): the one server's,
     * or on a Cluster that of the master that owns the key's slot now (per node: a failover or a
     * slot migration makes it another node's, whose id differs). Empty if not known (e.g. an ACL
     * user without {@code INFO}, a node not asked yet). A restarted server has a new one and none
     * of the old one's keys unless it persisted them.
     */
    public String serverId(String key) {
        return serverIds.getOrDefault(servers.nodeOf(key), "");
    }

    /**
     * Asks the server that holds {@code key} now (on a Cluster: the master of its slot) for its
     * {@code run_id} ({@code INFO server}) and records it (see {@link #serverId(String)}).
     * Completes with the id, or with an empty string if the server would not say (never fails).
     */
    public CompletableFuture<String> refreshServerId(String key) {
        return refreshNode(servers.nodeOf(key));
    }

    /** As {@link #refreshServerId(String)}, for node {@code node} (a name {@link Servers#nodeOf} gave). */
    public CompletableFuture<String> refreshNode(String node) {
        CompletableFuture<String> info;
        try {
            info = servers.infoServer(node).toCompletableFuture();
        } catch (RuntimeException e) {
            info = CompletableFuture.failedFuture(e);
        }
        return info.handle((text, e) -> {
            String id = e == null ? runId(text) : "";
            serverIds.put(node, id);
            return id;
        });
    }

    private static String runId(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return "";
    }

    /**
     * Lettuce's asynchronous commands on the shared connection; on a Cluster, routed by the slot of
     * a command's first key (a keyless command goes to any node).
     */
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /** {@code host:port} of the server, for error messages. */
    public String endpoint() {
        return endpoint;
    }

    /** Runs {@code script}; the future fails with Lettuce's exception, see {@link Errors#translate}. */
    public <T> CompletableFuture<T> eval(Script given, ScriptOutputType type, String[] keys, String... args) {
        Script script = shardedPubSub ? given.withShardedPubSub() : given;
        CompletableFuture<T> first = async.<T>evalsha(script.sha(), type, keys, args).toCompletableFuture();
        return first.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (Errors.unwrap(error) instanceof RedisNoScriptException) {
                return async.<T>eval(script.source(), type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(error instanceof CompletionException ? error.getCause() : error);
        }).thenCompose(f -> f);
    }
}
