package io.holdfast;

import io.holdfast.internal.Errors;
import io.holdfast.internal.LockReader;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockProvider;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Reads what locks look like on the server, for operators ({@code ./holdfast inspect}) and
 * dashboards: kind, holders with hold counts and lease left, fencing token, waiters in order with
 * their deadlines, waiting writers, and which process each of them is.
 *
 * <p><b>Topologies.</b> Standalone, through Sentinels (the current master) and on a Redis Cluster
 * ({@code redis-cluster://}): there each lock is read on the master of its slot, and a
 * {@link #scan scan} visits every master in turn (replicas are never read).
 *
 * <p><b>Reads only.</b> It sends read commands only ({@code TYPE HGETALL PTTL ZRANGE ZSCORE HGET
 * GET TIME SCAN}, {@code CLIENT LIST}): it never changes a lock, never runs a script, and finds locks
 * by {@code SCAN}, never {@code KEYS}. It writes no client record and names no connection. It is
 * thread-safe.
 *
 * <pre>{@code
 * try (LockInspector inspector = LockInspector.connect(HoldfastOptions.builder("redis://127.0.0.1:6379").build())) {
 *     inspector.inspect("orders:42").ifPresent(state -> System.out.println(state.holders()));
 * }
 * }</pre>
 *
 * <p><b>Redis unreachable.</b> Every method throws {@link RedisUnavailableException} (or
 * {@link HoldfastTimeoutException}).
 */
public final class LockInspector implements AutoCloseable {

    private final AbstractRedisClient ownClient;
    private final StatefulConnection<String, String> connection;
    private final String prefix;
    private final List<LockKeys.KeySuffix> reserved;
    private final LockReader reader;
    private final String endpoint;

    LockInspector(AbstractRedisClient ownClient, StatefulConnection<String, String> connection, String prefix,
            String endpoint) {
        this.ownClient = ownClient;
        this.endpoint = endpoint;
        this.connection = connection;
        this.prefix = prefix;
        List<LockKeys.KeySuffix> suffixes = new ArrayList<>();
        for (LockProvider<?> p : ServiceLoader.load(LockProvider.class)) {
            suffixes.addAll(p.keySuffixes());
        }
        this.reserved = List.copyOf(suffixes);
        this.reader = new LockReader(connection instanceof StatefulRedisClusterConnection<String, String> cluster
                ? LockReader.Servers.cluster(cluster)
                : LockReader.Servers.one(((StatefulRedisConnection<String, String>) connection).sync()), prefix);
    }

    /**
     * Opens an inspector with a connection of its own (closed by {@link #close()}).
     *
     * @param options the Redis URI (standalone, Sentinels or Cluster), command timeout, trusted
     *     certificates and key prefix of the clients whose locks to read
     * @return the inspector
     * @throws RedisUnavailableException if Redis cannot be reached
     */
    public static LockInspector connect(HoldfastOptions options) {
        Objects.requireNonNull(options, "options");
        if (io.holdfast.internal.ClusterLink.isClusterUri(options.redisUri())) {
            io.holdfast.internal.ClusterLink.Reading cluster = io.holdfast.internal.ClusterLink.connectForReading(options);
            return new LockInspector(cluster.client(), cluster.connection(), options.keyPrefix(), cluster.endpoint());
        }
        io.lettuce.core.RedisURI uri = Holdfast.parseUri(options.redisUri());
        uri.setTimeout(options.commandTimeout());
        RedisClient client = RedisClient.create(uri);
        try {
            return new LockInspector(client, client.connect(StringCodec.UTF8), options.keyPrefix(), Holdfast.endpoint(uri));
        } catch (RuntimeException e) {
            client.shutdown();
            throw Errors.translate(e, "connecting", null, Holdfast.endpoint(uri));
        }
    }

    /**
     * The lock called {@code name} now, with the waiters of its distributed conditions (found with
     * one {@code SCAN} of the key space).
     *
     * @param name the lock's name, as given to {@code getLock}, {@code getFairLock} or {@code getReadWriteLock}
     * @return its state, or empty if the server has nothing of it (not held, nobody waiting)
     * @throws IllegalArgumentException if the name is empty or could not be a lock's name
     */
    public Optional<LockState> inspect(String name) {
        LockKeys keys = LockKeys.of(prefix, name, reserved);
        return translate(() -> reader.read(keys, true), name);
    }

    /**
     * The locks whose names match {@code pattern} (Redis glob: {@code *}, {@code ?}, {@code [..]}),
     * found with {@code SCAN}: at most {@code limit} of them, in the order the server returns them. A
     * pattern without a hash tag matches the names of locks named without one ({@code orders:*}
     * matches {@code orders:42}); a pattern with one matches keys under the prefix as they are.
     *
     * @param pattern a glob over lock names
     * @param limit the most locks to return
     * @return their states
     */
    public List<LockState> scan(String pattern, int limit) {
        Objects.requireNonNull(pattern, "pattern");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        String match = pattern.contains("{") ? prefix + pattern : prefix + "{" + pattern + "}";
        return translate(() -> {
            List<LockState> found = new ArrayList<>();
            for (String name : reader.lockNames(match, reserved, limit)) {
                reader.read(LockKeys.of(prefix, name, reserved), false).ifPresent(found::add);
            }
            return found;
        }, pattern);
    }

    private <T> T translate(java.util.function.Supplier<T> read, String what) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw Errors.translate(e, "inspecting '" + what + "'", null, endpoint);
        }
    }

    /** Closes the inspector's own connection; one made by {@link Holdfast#inspector()} stays open. */
    @Override
    public void close() {
        if (ownClient != null) {
            connection.close();
            ownClient.shutdown();
        }
    }
}
