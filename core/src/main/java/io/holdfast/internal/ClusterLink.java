package io.holdfast.internal;

import io.holdfast.HoldfastOptions;
import io.holdfast.spi.RedisGateway;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.Event;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The connections of a client to a Redis Cluster ({@code redis-cluster://} URIs, see
 * {@link HoldfastOptions#clusterBuilder}): Lettuce's {@link RedisClusterClient} routes every
 * command by the slot of its first key and follows {@code MOVED}/{@code ASK}.
 *
 * <p>Topology: the slot map is refreshed every {@value #REFRESH_SECONDS} s and at once on every
 * adaptive trigger ({@code MOVED}, {@code ASK}, a node that does not answer on the first reconnect
 * attempt, an unknown node), at most once a second. The first connect gives the seeds the command
 * timeout (a cold JVM on a loaded machine needs it); after it, connecting to a node and refreshing
 * the slot map time out after at most {@value #SEED_TIMEOUT_MILLIS} ms, so that a dead master does
 * not hold a refresh up (without a refresh, Lettuce keeps sending a failed master's slots to it).
 *
 * <p>Server identity per slot: {@link RedisGateway#serverId(String)} is the {@code run_id} of the
 * master that owns the key's slot in Lettuce's current view, read with {@code INFO server} on that
 * node's own connection: for every master at connect and whenever the slot map changes, for a
 * master again when its command connection reconnects, and at the moment a release needs it. A key whose slot
 * moved to another node (failover, migration) thus names another process, and a "not held" reply
 * there is never taken for a re-sent release.
 *
 * <p>Pub/sub: sharded ({@code SSUBSCRIBE}/{@code SPUBLISH}) if the servers have it (Redis 7+,
 * probed with one {@code SPUBLISH} at connect), else classic (broadcast over the cluster bus),
 * subscribed on the master of the channel's slot ({@link OwnerSubscriptions}).
 */
public final class ClusterLink {

    private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);

    static final int REFRESH_SECONDS = 5;
    static final long SEED_TIMEOUT_MILLIS = 1000;

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final StatefulRedisClusterPubSubConnection<String, String> pubSub;
    private final RedisGateway gateway;
    /** What this client listens to on the event bus of its resources, until {@link #stopListening()}. */
    private final List<Disposable> listening = new CopyOnWriteArrayList<>();

    private ClusterLink(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection,
            StatefulRedisClusterPubSubConnection<String, String> pubSub, RedisGateway gateway, Disposable topology) {
        this.client = client;
        this.connection = connection;
        this.pubSub = pubSub;
        this.gateway = gateway;
        listening.add(topology);
    }

    /**
     * Runs {@code handler} on every event of {@code resources}' event bus until the returned
     * subscription is disposed. A handler that throws is logged and keeps listening (a consumer
     * that throws would otherwise end the subscription, and with it every later slot move).
     */
    static Disposable onEvents(ClientResources resources, Consumer<Event> handler) {
        return resources.eventBus().get().subscribe(event -> {
            try {
                handler.accept(event);
            } catch (RuntimeException e) {
                log.warn("following the Cluster's topology failed on {}; still listening", event, e);
            }
        });
    }

    /**
     * Stops listening to the event bus (at {@link io.holdfast.Holdfast#close()}): a bus shared with
     * other clients ({@code HoldfastOptions.Builder#clientResources}) keeps no reference to this one.
     */
    public void stopListening() {
        listening.forEach(Disposable::dispose);
        listening.clear();
    }

    /** Whether {@code redisUri} names a Cluster: {@code redis-cluster://} or {@code rediss-cluster://}. */
    public static boolean isClusterUri(String redisUri) {
        return redisUri.startsWith("redis-cluster://") || redisUri.startsWith("rediss-cluster://");
    }

    /** The seed nodes of a {@code redis-cluster://} URI, with its credentials and TLS. */
    public static List<RedisURI> seeds(String clusterUri, Duration commandTimeout) {
        String plain = clusterUri.replaceFirst("^(rediss?)-cluster://", "$1://");
        List<RedisURI> seeds;
        try {
            seeds = RedisClusterURIUtil.toRedisURIs(java.net.URI.create(plain));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid Redis Cluster URI: " + clusterUri + " (" + e.getMessage()
                    + ")", e);
        }
        Duration seedTimeout = Duration.ofMillis(Math.min(SEED_TIMEOUT_MILLIS, commandTimeout.toMillis()));
        seeds.forEach(s -> s.setTimeout(seedTimeout));
        return seeds;
    }

    /**
     * Connects to the Cluster of {@code options}: builds the client on {@code resources}, opens the
     * command and pub/sub connections and probes for sharded pub/sub.
     *
     * @throws RuntimeException Lettuce's, if no seed answers (the caller translates it); the client
     *     is shut down then
     */
    public static ClusterLink connect(HoldfastOptions options, ClientResources resources) {
        List<RedisURI> seeds = seeds(options.redisUri(), options.commandTimeout());
        Duration refreshTimeout = seeds.get(0).getTimeout();
        seeds.forEach(seed -> seed.setTimeout(options.commandTimeout())); // the first connect: the whole timeout
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        ClusterClientOptions.Builder clientOptions = ClusterClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(options.commandTimeout()).build())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(REFRESH_SECONDS))
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .refreshTriggersReconnectAttempts(1)
                        .closeStaleConnections(true)
                        .dynamicRefreshSources(true)
                        .build());
        options.trustedCertificates().ifPresent(pem -> clientOptions.sslOptions(
                SslOptions.builder().jdkSslProvider().trustManager(pem.toFile()).build()));
        client.setOptions(clientOptions.build());
        AtomicLong disconnects = new AtomicLong();
        try {
            StatefulRedisClusterConnection<String, String> connection = connectWithin(client, options.commandTimeout());
            // from now on (topology refreshes, connections to new nodes) a node that hangs costs at most refreshTimeout
            seeds.forEach(seed -> seed.setTimeout(refreshTimeout));
            client.setOptions(clientOptions.socketOptions(SocketOptions.builder().connectTimeout(refreshTimeout).build())
                    .build());
            boolean sharded = hasShardedPubSub(connection, options);
            RedisGateway gateway = new RedisGateway(connection.async(), endpoint(seeds), disconnects,
                    new Nodes(connection), sharded);
            Reconnects reconnects = new Reconnects(gateway, disconnects, connection);
            client.addListener(reconnects);
            reconnects.refreshAll(); // not awaited: a missing id only counts as unknown
            Disposable topology = onEvents(resources, event -> {
                if (event instanceof io.lettuce.core.cluster.event.ClusterTopologyChangedEvent) {
                    reconnects.refreshAll();
                }
            });
            try {
                StatefulRedisClusterPubSubConnection<String, String> pubSub = client.connectPubSub(StringCodec.UTF8);
                return new ClusterLink(client, connection, pubSub, gateway, topology);
            } catch (RuntimeException e) {
                topology.dispose();
                throw e;
            }
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** A read-only connection to a Cluster, for {@link io.holdfast.LockInspector}. */
    public record Reading(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection,
            String endpoint) {
    }

    /**
     * Connects to the Cluster of {@code options} for reading only: no pub/sub, no naming, no
     * probe; the slot map follows {@code MOVED}/{@code ASK} (adaptive refresh). The client is shut
     * down if no seed answers.
     *
     * @throws io.holdfast.RedisUnavailableException if no seed answers in the command timeout
     */
    public static Reading connectForReading(HoldfastOptions options) {
        List<RedisURI> seeds = seeds(options.redisUri(), options.commandTimeout());
        String endpoint = endpoint(seeds);
        seeds.forEach(seed -> seed.setTimeout(options.commandTimeout()));
        RedisClusterClient client = RedisClusterClient.create(seeds);
        ClusterClientOptions.Builder clientOptions = ClusterClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(options.commandTimeout()).build())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
                        .build());
        options.trustedCertificates().ifPresent(pem -> clientOptions.sslOptions(
                SslOptions.builder().jdkSslProvider().trustManager(pem.toFile()).build()));
        client.setOptions(clientOptions.build());
        try {
            return new Reading(client, connectWithin(client, options.commandTimeout()), endpoint);
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw Errors.translate(e, "connecting", null, endpoint);
        }
    }

    /**
     * Connects, trying the seeds again until {@code budget} has passed: each seed has only the
     * short seed timeout (so that later topology refreshes are not held up by a node that hangs),
     * and a first connect on a loaded machine may need more than one round.
     */
    private static StatefulRedisClusterConnection<String, String> connectWithin(RedisClusterClient client,
            Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            try {
                return client.connect(StringCodec.UTF8);
            } catch (io.lettuce.core.RedisException e) { // no seed answered ("Cannot obtain initial ... topology")
                if (!unreachable(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // not a busy loop on refusals
            }
        }
    }

    /** Whether {@code e} says that no node could be reached (as opposed to, say, refused credentials). */
    private static boolean unreachable(Throwable e) {
        for (Throwable t : Errors.causes(e)) {
            if (t instanceof io.lettuce.core.RedisConnectionException
                    || String.valueOf(t.getMessage()).startsWith("Cannot retrieve initial cluster partitions")) {
                return !String.valueOf(e.getMessage()).contains("WRONGPASS")
                        && java.util.Arrays.stream(t.getSuppressed()).noneMatch(s -> String.valueOf(s).contains("WRONGPASS"));
            }
        }
        return false;
    }

    /**
     * Whether the servers have sharded pub/sub: one {@code SPUBLISH} on a channel of Holdfast's
     * shape that nobody listens to. An unknown command (Redis before 7) means classic pub/sub; a
     * refused permission means the command exists (the permission probe then reports it).
     */
    private static boolean hasShardedPubSub(StatefulRedisClusterConnection<String, String> connection,
            HoldfastOptions options) {
        String channel = io.holdfast.spi.LockKeys.of(options.keyPrefix(), "holdfast:permission-probe").channel();
        try {
            LettuceFutures.awaitOrCancel(connection.async().spublish(channel, ""),
                    options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RedisCommandExecutionException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (message.contains("unknown command")) {
                return false;
            }
            if (message.startsWith("noperm")) {
                return true;
            }
            throw e;
        }
    }

    /** How errors name the Cluster: its seed nodes. */
    public static String endpoint(List<RedisURI> seeds) {
        return "Redis Cluster via " + seeds.stream().map(s -> s.getHost() + ":" + s.getPort())
                .collect(java.util.stream.Collectors.joining(","));
    }

    public RedisClusterClient client() {
        return client;
    }

    public StatefulRedisClusterConnection<String, String> connection() {
        return connection;
    }

    public StatefulRedisPubSubConnection<String, String> pubSub() {
        return pubSub;
    }

    public RedisGateway gateway() {
        return gateway;
    }

    /**
     * Names every connection the client opens or re-opens from now on (see {@link NodeNaming}); the
     * caller names the command and pub/sub connections once at connect.
     */
    public void nameLaterConnections(ClientIdentity identity, ClientResources resources) {
        client.addListener(new NodeNaming(identity, resources.eventExecutorGroup()));
    }

    /**
     * The client's pub/sub hub on the Cluster, following slot moves: sharded channels with
     * {@link ShardedChannels}; classic ones (Redis before 7) subscribed on the master of their slot
     * by {@link OwnerSubscriptions}.
     *
     * @param lingerMillis see {@link PubSubHub#PubSubHub(StatefulRedisPubSubConnection, io.netty.util.Timer, long, boolean)}
     */
    public PubSubHub newHub(io.netty.util.Timer timer, long lingerMillis) {
        if (gateway.shardedPubSub()) {
            PubSubHub hub = new PubSubHub(pubSub, timer, lingerMillis, true);
            listening.add(new ShardedChannels(hub, pubSub, client).start());
            return hub;
        }
        OwnerSubscriptions onOwners = new OwnerSubscriptions(pubSub);
        PubSubHub hub = new PubSubHub(pubSub, timer, lingerMillis, onOwners);
        listening.add(onOwners.start(hub, client));
        return hub;
    }

    /** The masters of slots, by Lettuce's current view of the Cluster. */
    private static final class Nodes implements RedisGateway.Servers {
        private final StatefulRedisClusterConnection<String, String> connection;

        Nodes(StatefulRedisClusterConnection<String, String> connection) {
            this.connection = connection;
        }

        @Override
        public String nodeOf(String key) {
            RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
            return owner == null ? "" : owner.getNodeId();
        }

        @Override
        public CompletionStage<String> infoServer(String node) {
            return connection.getConnectionAsync(node).thenCompose(c -> c.async().info("server"));
        }

        @Override
        public int slotOf(String key) {
            return SlotHash.getSlot(key);
        }

        /**
         * On the pooled connection Lettuce routes the slot's commands to (the same connection key,
         * write intent and the master's host and port), after the script's reply: WAIT then counts
         * the replicas of that master that have the hold.
         */
        @Override
        public CompletionStage<Long> waitForReplicas(String key, int replicas, long timeoutMillis) {
            RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
            if (owner == null || owner.getUri() == null) {
                return java.util.concurrent.CompletableFuture.failedFuture(new io.lettuce.core.RedisException(
                        "no master known for the slot of " + key));
            }
            return connection.getConnectionAsync(owner.getUri().getHost(), owner.getUri().getPort())
                    .thenCompose(c -> c.async().waitForReplication(replicas, timeoutMillis));
        }
    }

    /**
     * Counts every lost command connection to a master (a release in flight on one may have run
     * twice; a node's loss counts for every lock, which only makes the engine ask the server's
     * identity more often), and reads the run_id of a master again when its connection comes back
     * or the slot map changes. Lettuce also opens and closes a connection per node at every
     * topology refresh; those carry no command of Holdfast's and are not counted (counting them
     * would make every release look re-sent).
     */
    private static final class Reconnects implements RedisConnectionStateListener {
        private final RedisGateway gateway;
        private final AtomicLong disconnects;
        private final StatefulRedisClusterConnection<String, String> connection;

        Reconnects(RedisGateway gateway, AtomicLong disconnects,
                StatefulRedisClusterConnection<String, String> connection) {
            this.gateway = gateway;
            this.disconnects = disconnects;
            this.connection = connection;
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> lost) {
            if (masterOf(lost) != null) {
                disconnects.incrementAndGet();
            }
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> back, SocketAddress at) {
            RedisClusterNode master = masterOf(back);
            if (master != null) {
                gateway.refreshNode(master.getNodeId()); // the node may be a restarted one
            }
        }

        /** Refreshes the run_id of every master (after the slot map changed). */
        void refreshAll() {
            for (RedisClusterNode node : connection.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    gateway.refreshNode(node.getNodeId());
                }
            }
        }

        /**
         * The master whose command connection (the one Lettuce routes its slots' commands to) is
         * {@code handler}, or null: a pub/sub connection, a topology refresh's, one not set up yet.
         */
        private RedisClusterNode masterOf(RedisChannelHandler<?, ?> handler) {
            if (handler instanceof StatefulRedisPubSubConnection || !connection.isOpen()) {
                return null; // a closing client's connections: nothing to count or refresh
            }
            for (RedisClusterNode node : connection.getPartitions()) {
                RedisURI uri = node.getUri();
                if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM) || uri == null) {
                    continue;
                }
                java.util.concurrent.CompletableFuture<?> pooled;
                try {
                    pooled = connection.getConnectionAsync(uri.getHost(), uri.getPort());
                } catch (RuntimeException closing) { // closed between the check and here
                    return null;
                }
                if (pooled.isDone() && !pooled.isCompletedExceptionally() && pooled.join() == handler) {
                    return node;
                }
            }
            return null;
        }
    }
}
