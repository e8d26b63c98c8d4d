package io.holdfast;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.holdfast.internal.Client;
import io.holdfast.internal.ClusterLink;
import io.holdfast.internal.Errors;
import io.holdfast.spi.LeaseKeeperFactory;
import io.holdfast.spi.LockProvider;
import io.holdfast.spi.LockType;
import io.holdfast.internal.PubSubHub;
import io.holdfast.spi.RedisGateway;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.HashedWheelTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Holdfast client: one connection to one Redis (standalone, the master found through Sentinels,
 * or every master of a Redis Cluster, see {@link HoldfastOptions#clusterBuilder}), one pub/sub
 * connection, one watchdog, and the locks obtained from it.
 *
 * <pre>{@code
 * try (Holdfast holdfast = Holdfast.connect("redis://127.0.0.1:6379")) {
 *     RLock lock = holdfast.getLock("orders:42");
 *     lock.lock();
 *     try { ... } finally { lock.unlock(); }
 * }
 * }</pre>
 *
 * <p>Thread-safe; meant to live as long as the application. Lock objects are cached by name
 * (bounded) and keep no state of their own, so obtaining one is cheap.
 */
public final class Holdfast implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Holdfast.class);

    private final Client ctx;
    private final ClientResources resources;
    /** Whether {@link #resources} are the client's own, shut down at close (not the user's). */
    private final boolean ownResources;
    private final io.lettuce.core.AbstractRedisClient client;
    private final io.lettuce.core.api.StatefulConnection<String, String> connection;
    private final RedisGateway gateway;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    /** The client's own timer, stopped at close; null if the user gave one (see {@link HoldfastOptions#timer()}). */
    private final HashedWheelTimer ownTimer;
    private final java.util.concurrent.Executor events;
    private final ExecutorService ownEvents;
    private final Map<LockType<?>, LockProvider<?>> providers;
    private final Cache<String, Object> locks;
    private final List<String> warnings;
    private final io.holdfast.internal.ClientIdentity identity;
    /** The Cluster's connections, or null (standalone, Sentinel). */
    private final ClusterLink link;

    private Holdfast(HoldfastOptions options) {
        String clientId = UUID.randomUUID().toString();
        io.holdfast.internal.ClientIdentity named = new io.holdfast.internal.ClientIdentity(clientId, options.keyPrefix());
        this.identity = named;
        boolean cluster = ClusterLink.isClusterUri(options.redisUri());
        RedisURI uri = cluster ? null : parseUri(options.redisUri());
        String endpoint = cluster ? ClusterLink.endpoint(ClusterLink.seeds(options.redisUri(), options.commandTimeout()))
                : endpoint(uri);
        this.ownResources = options.clientResources().isEmpty();
        this.resources = options.clientResources().orElseGet(DefaultClientResources::create);
        StatefulRedisPubSubConnection<String, String> pubSub;
        ClusterLink link = null;
        if (cluster) {
            try {
                link = ClusterLink.connect(options, resources);
            } catch (RuntimeException e) {
                if (ownResources) {
                    resources.shutdown(0, 2, TimeUnit.SECONDS);
                }
                throw Errors.translate(e, "connecting", null, endpoint);
            }
            this.client = link.client();
            this.connection = link.connection();
            this.gateway = link.gateway();
            pubSub = link.pubSub();
        } else {
            uri.setTimeout(options.commandTimeout());
            RedisClient standalone = RedisClient.create(resources, uri);
            this.client = standalone;
            ClientOptions.Builder clientOptions = ClientOptions.builder()
                    .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                    .socketOptions(SocketOptions.builder().connectTimeout(options.commandTimeout()).build());
            options.trustedCertificates().ifPresent(pem -> clientOptions.sslOptions(
                    SslOptions.builder().jdkSslProvider().trustManager(pem.toFile()).build()));
            standalone.setOptions(clientOptions.build());
            java.util.concurrent.atomic.AtomicLong disconnects = new java.util.concurrent.atomic.AtomicLong();
            try {
                StatefulRedisConnection<String, String> commands = connect(() -> standalone.connect(StringCodec.UTF8));
                this.connection = commands;
                this.gateway = new RedisGateway(commands.async(), endpoint, disconnects);
                RedisGateway connected = gateway;
                standalone.addListener(new io.lettuce.core.RedisConnectionStateListener() {
                    @Override
                    public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> lost) {
                        if (lost == commands) {
                            disconnects.incrementAndGet();
                        }
                    }

                    @Override
                    public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> back,
                            java.net.SocketAddress at) {
                        if (back == commands) {
                            connected.refreshNode(""); // the server may be a restarted one
                            named.name(commands.async(), "command");
                        } else if (back instanceof StatefulRedisPubSubConnection<?, ?> p) {
                            @SuppressWarnings("unchecked")
                            StatefulRedisPubSubConnection<String, String> sub = (StatefulRedisPubSubConnection<String, String>) p;
                            named.name(sub.async(), "pub/sub");
                        }
                    }
                });
                gateway.refreshNode(""); // not awaited: replies come in order, so it is known before any later reply
                pubSub = connect(() -> standalone.connectPubSub(StringCodec.UTF8));
            } catch (RuntimeException e) {
                shutdownQuietly();
                throw Errors.translate(e, "connecting", null, endpoint);
            }
        }
        named.name(gateway.async(), "command"); // on a Cluster: every node connection Lettuce has
        if (link != null) {
            named.name(pubSub.async(), "pub/sub"); // standalone: named by the listener as it connected
            link.nameLaterConnections(named, resources);
        }
        try {
            checkChannelPermissions(options, endpoint, pubSub);
        } catch (RuntimeException e) {
            if (link != null) {
                link.stopListening(); // a bus shared with the caller keeps nothing of this client
            }
            connection.close();
            pubSub.close();
            shutdownQuietly();
            throw e;
        }
        this.pubSub = pubSub;
        this.link = link;
        this.ownTimer = options.timer().isPresent() ? null
                : new HashedWheelTimer(r -> daemon(r, "holdfast-timer"), 10, TimeUnit.MILLISECONDS);
        io.netty.util.Timer timer = options.timer().orElse(ownTimer);
        java.util.concurrent.atomic.AtomicInteger callbackThreads = new java.util.concurrent.atomic.AtomicInteger();
        this.ownEvents = options.callbackExecutor().isPresent() ? null
                : Executors.newCachedThreadPool(r -> daemon(r, "holdfast-callbacks-" + callbackThreads.incrementAndGet()));
        this.events = options.callbackExecutor().orElse(ownEvents);
        PubSubHub hub = link != null ? link.newHub(timer, PubSubHub.LINGER_MILLIS)
                : new PubSubHub(pubSub, timer, PubSubHub.LINGER_MILLIS, gateway.shardedPubSub());
        this.ctx = new Client(clientId, options,
                gateway, hub, timer, events);
        ctx.keeper(ServiceLoader.load(LeaseKeeperFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no watchdog on the class path: add holdfast-watchdog"))
                .create(ctx));
        this.providers = new java.util.HashMap<>();
        for (LockProvider<?> p : ServiceLoader.load(LockProvider.class)) {
            providers.putIfAbsent(p.type(), p);
        }
        ctx.reserveKeySuffixes(providers.values().stream().flatMap(p -> p.keySuffixes().stream()).distinct().toList());
        this.locks = Caffeine.newBuilder().maximumSize(options.lockCacheSize()).build();
        this.warnings = checkServer(endpoint);
        identity.keepRecord(gateway.async(), timer);
    }

    /**
     * Connects with default options; see {@link #connect(HoldfastOptions)}.
     *
     * @param redisUri the Redis URI, as for {@link HoldfastOptions#builder(String)}
     * @return a connected client; close it when done
     */
    public static Holdfast connect(String redisUri) {
        return connect(HoldfastOptions.builder(redisUri).build());
    }

    /**
     * Connects to Redis and checks it, failing fast.
     *
     * @param options the connection and lock options
     * @return a connected client; close it when done
     * @throws RedisUnavailableException if Redis cannot be reached or refuses the credentials; the
     *     message names host and port, and the real cause when the server was reached but the
     *     connection could not be set up (e.g. a database index out of range, a TLS certificate
     *     that is not trusted)
     * @throws RedisPermissionException if the Redis user may not PUBLISH or SUBSCRIBE (on a Cluster
     *     of Redis 7+: SPUBLISH or SSUBSCRIBE) on Holdfast's channels ({@code <keyPrefix>*}); the
     *     message names the command and the ACL rule to grant
     * @throws IllegalArgumentException if the URI is malformed, e.g. a port that is not a number
     *     from 1 to 65535
     */
    public static Holdfast connect(HoldfastOptions options) {
        return new Holdfast(Objects.requireNonNull(options, "options"));
    }

    /**
     * The reentrant exclusive lock called {@code name}.
     *
     * @param name the lock's name; locks of one name exclude each other across clients
     * @return the lock (cached by name); obtaining it does not talk to Redis
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is empty
     */
    public RLock getLock(String name) {
        return lock(LockType.REENTRANT, name);
    }

    /**
     * The fair lock called {@code name}: the contract of {@link #getLock}, plus first come, first
     * served order across every thread of every client. {@code tryLock()} without a wait neither
     * jumps nor joins the queue; a waiter that gives up leaves it at once; an unlock wakes only the
     * head of the queue. A waiter that stops renewing its place (its process died) is evicted after
     * {@link HoldfastOptions#fairWaiterTimeout()}, measured by the server's clock. Obtaining the lock
     * does not talk to Redis.
     *
     * @param name the lock's name
     * @return the fair lock (cached by name)
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is empty
     * @throws IllegalStateException if the client is closed, or holdfast-fair is not on the class path
     */
    public RLock getFairLock(String name) {
        return lock(LockType.FAIR, name);
    }

    /**
     * The read-write lock called {@code name}.
     *
     * @param name the lock's name
     * @return the read-write lock (cached by name); obtaining it does not talk to Redis
     */
    public RReadWriteLock getReadWriteLock(String name) {
        return lock(LockType.READ_WRITE, name);
    }

    /**
     * The cached lock of {@code type} called {@code name}. The providers are kept by their type, so
     * the one found makes {@code L}s; the cache holds locks of every type, hence the checked cast.
     */
    private <L> L lock(LockType<L> type, String name) {
        ctx.checkOpen();
        ctx.keys(name); // validates the name
        LockProvider<?> provider = providers.get(type);
        if (provider == null) {
            throw new IllegalStateException("no " + type + " lock on the class path: add holdfast-" + type);
        }
        return type.cast(locks.get(type + "\u0000" + name, k -> provider.create(ctx, name)));
    }

    /**
     * This client's random id, the first part of every holder id it writes.
     *
     * @return the client id, a random UUID
     */
    public String clientId() {
        return ctx.clientId();
    }

    /**
     * The name this client gives its connections ({@code CLIENT SETNAME}), which {@code CLIENT LIST}
     * shows: {@code holdfast:<host>:<pid>:<first 8 characters of the client id>}. The client also
     * keeps a record {@code <keyPrefix>client:<client id>} (a hash: host, pid, started, name;
     * refreshed every minute, expiring three minutes after the process stops), so that a holder id, which
     * starts with the client id, maps to a process. An ACL user without {@code CLIENT} only loses
     * the name (logged once at INFO).
     *
     * @return the connection name
     */
    public String connectionName() {
        return identity.connectionName();
    }

    /**
     * An inspector over this client's command connection (see {@link LockInspector}): reads only,
     * and its {@code close()} leaves the connection open. Obtaining it does not talk to Redis. On a
     * Redis Cluster it reads each lock on the master of its slot and scans every master.
     *
     * @return the inspector
     */
    public LockInspector inspector() {
        ctx.checkOpen();
        return new LockInspector(null, connection, ctx.options().keyPrefix(), ctx.redis().endpoint());
    }

    /**
     * Problems found in the server's configuration at connect (also logged at WARN).
     *
     * @return the warnings, empty if none
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * How many holds this client tracks now (live, or lost and not yet unlocked).
     *
     * @return the number of holds tracked
     */
    public int holdCount() {
        return ctx.holds().size();
    }

    /**
     * How many lock objects the client keeps cached now (at most {@code lockCacheSize}).
     *
     * @return the number of cached lock objects
     */
    public long cachedLocks() {
        locks.cleanUp();
        return locks.estimatedSize();
    }

    /**
     * How many leases (holds and queue places) the watchdog renews now.
     *
     * @return the number of leases renewed
     */
    public int renewalCount() {
        return ctx.keeper().size();
    }

    /**
     * How many pub/sub channels this client is subscribed to now: those of locks it waits for,
     * and for about a second more each, those it waited for last.
     *
     * @return the number of subscribed channels
     */
    public int subscribedChannels() {
        return ctx.hub().channelCount();
    }

    /**
     * Whether the pub/sub connection, on which waiters are woken, is connected now. While it is not
     * (Lettuce reconnects it and subscribes again), waiters still get their locks, by retrying when
     * the holder's lease would run out or at most every few seconds, but later than a wake-up would
     * have let them. Asks nothing of Redis; false once the client is closed.
     *
     * @return whether the pub/sub connection is open
     */
    public boolean isPubSubConnected() {
        return !ctx.isClosed() && pubSub.isOpen();
    }

    /**
     * Stops every renewal and closes the connections. Holds still held are not released: they
     * expire with their lease. Calls blocked acquiring a lock of this client fail at once with
     * {@link IllegalStateException}; later calls on its locks throw it too.
     */
    @Override
    public void close() {
        if (ctx.isClosed()) {
            return;
        }
        ctx.markClosed();
        identity.stop();
        ctx.keeper().close();
        if (ownTimer != null) {
            ownTimer.stop();
        }
        if (link != null) {
            link.stopListening();
        }
        ctx.hub().close();
        connection.close();
        if (ownEvents != null) {
            ownEvents.shutdown();
        }
        shutdownQuietly();
    }

    /**
     * Checks that the user may PUBLISH and SUBSCRIBE on a channel of the same shape as every lock's
     * wake-up channel under the key prefix (a probe name no lock uses), so that a missing channel
     * permission fails here rather than in the middle of a release (issue 12, item 6). Nobody
     * listens on the probe channel; the subscription is dropped at once.
     *
     * @throws RedisPermissionException naming the command and the ACL rule to grant
     */
    private void checkChannelPermissions(HoldfastOptions options, String endpoint,
            StatefulRedisPubSubConnection<String, String> pubSub) {
        String channel = io.holdfast.spi.LockKeys.of(options.keyPrefix(), "holdfast:permission-probe").channel();
        boolean sharded = gateway.shardedPubSub();
        String command = sharded ? "SPUBLISH" : "PUBLISH";
        long timeout = options.commandTimeout().toMillis();
        try {
            io.lettuce.core.LettuceFutures.awaitOrCancel(sharded ? gateway.async().spublish(channel, "")
                    : gateway.async().publish(channel, ""), timeout, TimeUnit.MILLISECONDS);
            command = sharded ? "SSUBSCRIBE" : "SUBSCRIBE";
            if (sharded) {
                pubSub.sync().ssubscribe(channel);
                pubSub.sync().sunsubscribe(channel);
            } else {
                pubSub.sync().subscribe(channel);
                pubSub.sync().unsubscribe(channel);
            }
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("NOPERM")) {
                throw Errors.translate(e, "checking channel permissions", null, endpoint);
            }
            String user = userName(options.redisUri());
            throw new RedisPermissionException("connecting: the Redis user '" + user + "' at " + endpoint + " may not "
                    + command + " on Holdfast's wake-up channels (tried '" + channel + "'): Redis said \"" + e.getMessage()
                    + "\". Grant the channel pattern '&" + options.keyPrefix() + "*' (ACL SETUSER " + user + " &"
                    + options.keyPrefix() + "*) or allchannels; without it a release would change the lock and then fail",
                    e);
        } catch (RuntimeException e) {
            throw Errors.translate(e, "checking channel permissions", null, endpoint);
        }
    }

    /** The ACL user name in {@code redisUri}, or "default" (Redis's user when none is given). */
    private static String userName(String redisUri) {
        int start = redisUri.indexOf("://") + 3;
        int at = redisUri.lastIndexOf('@');
        String info = at < start ? null
                : java.net.URLDecoder.decode(redisUri.substring(start, at), java.nio.charset.StandardCharsets.UTF_8);
        int colon = info == null ? -1 : info.indexOf(':');
        String user = info == null ? "" : colon < 0 ? "" : info.substring(0, colon);
        return user.isEmpty() ? "default" : user;
    }

    /**
     * How error messages name the server: {@code host:port}, or for a URI through Sentinels the
     * master's name and the Sentinels asked for it (the master itself may change at a failover).
     */
    static String endpoint(RedisURI uri) {
        if (uri.getSentinelMasterId() == null || uri.getSentinels().isEmpty()) {
            return uri.getHost() + ":" + uri.getPort();
        }
        return "master '" + uri.getSentinelMasterId() + "' via Sentinels " + uri.getSentinels().stream()
                .map(s -> s.getHost() + ":" + s.getPort()).collect(java.util.stream.Collectors.joining(","));
    }

    /**
     * Parses {@code redisUri}, refusing what Lettuce would misread: a port that is not a number in
     * 1..65535 (Lettuce would take {@code host:notaport} as a host name).
     */
    static RedisURI parseUri(String redisUri) {
        java.net.URI parsed;
        try {
            parsed = new java.net.URI(redisUri);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("redisUri is not a URI: " + redisUri + " (" + e.getReason() + ")", e);
        }
        String authority = parsed.getRawAuthority();
        if (authority != null) {
            String hosts = authority.substring(authority.lastIndexOf('@') + 1);
            for (String hostPort : hosts.split(",")) {
                int colon = hostPort.lastIndexOf(':');
                if (colon < 0 || hostPort.lastIndexOf(']') > colon) {
                    continue; // no port (an IPv6 literal's colons are inside its brackets)
                }
                String port = hostPort.substring(colon + 1);
                if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    throw new IllegalArgumentException("redisUri has an invalid port '" + port
                            + "' (expected a number from 1 to 65535): " + redisUri.replace(authority, hosts));
                }
            }
        }
        try {
            return RedisURI.create(redisUri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("redisUri is not a valid Redis URI: " + e.getMessage(), e);
        }
    }

    private List<String> checkServer(String endpoint) {
        List<String> found = new ArrayList<>();
        try {
            String policy = io.lettuce.core.LettuceFutures.awaitOrCancel(gateway.async().configGet("maxmemory-policy"),
                    5, TimeUnit.SECONDS).get("maxmemory-policy");
            if (policy != null && !policy.equals("noeviction")) {
                found.add("Redis at " + endpoint + " has maxmemory-policy " + policy
                        + ": under memory pressure it may evict lock keys, and a lock would then be free while held;"
                        + " use noeviction for the database that holds locks");
            }
        } catch (RuntimeException e) {
            log.debug("cannot read maxmemory-policy from {} (CONFIG may be disabled)", endpoint, e);
        }
        found.forEach(log::warn);
        return List.copyOf(found);
    }

    /**
     * {@code connect} (Lettuce's connect of a command or a pub/sub connection), up to twice more if
     * the handshake ended before Lettuce could report why: Lettuce then fails with
     * "RedisHandshakeHandler not registered", or with "Connection closed prematurely" from the
     * handshake (the server closed the link before Lettuce read its reply), as the cause. Both hide
     * the real reason (seen in CI for a refused AUTH, whose error is what the caller must see); a
     * further connect nearly always reports it. A server that is not listening fails at once with
     * "connection refused", which is not retried.
     */
    private static <C> C connect(java.util.function.Supplier<C> connect) {
        List<RuntimeException> earlier = new ArrayList<>();
        for (int retries = 2; ; retries--) {
            try {
                return connect.get();
            } catch (io.lettuce.core.RedisConnectionException e) {
                if (retries == 0 || !handshakeEndedUnexplained(e)) {
                    earlier.forEach(e::addSuppressed);
                    throw e;
                }
                earlier.add(e);
            }
        }
    }

    private static boolean handshakeEndedUnexplained(Throwable e) {
        for (Throwable t : Errors.causes(e)) {
            String message = String.valueOf(t.getMessage());
            if ((t instanceof IllegalStateException && message.contains("HandshakeHandler"))
                    || (t instanceof io.lettuce.core.RedisConnectionException
                            && message.contains("Connection closed prematurely"))) {
                return true;
            }
        }
        return false;
    }

    private void shutdownQuietly() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        if (ownResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
