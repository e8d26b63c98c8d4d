package io.holdfast.internal;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a client is, for an operator: every holder id starts with the client's id, and this maps that
 * id to a process.
 *
 * <ul>
 *   <li><b>Connection names.</b> Both of the client's connections are named
 *       {@code holdfast:<host>:<pid>:<first 8 characters of the client id>} ({@code CLIENT SETNAME}), at
 *       connect and again after every reconnect, so {@code CLIENT LIST} shows which process holds
 *       which connection. On a Cluster every node connection is named: at connect through the
 *       cluster connection (Lettuce sends the name to each node), and each connection opened or
 *       re-opened later a moment after it connected ({@code NodeNaming}). The name is set with a plain command, not through Lettuce's connection
 *       state, so a server that refuses it never stops a reconnect.</li>
 *   <li><b>Client record.</b> A hash {@code <keyPrefix>client:<client id>} with {@code host},
 *       {@code pid}, {@code started} (epoch ms), {@code name} (the connection name) and
 *       {@code clientId}, written at connect and every {@link #REFRESH_MILLIS} ms with a TTL of
 *       {@link #TTL_MILLIS} ms: two commands per client a minute, whatever the number of holds. It
 *       outlives a dead process by at most three minutes (whether the process is still connected is what
 *       {@code CLIENT LIST} tells), and comes back after a server restart. (It
 *       cannot be another lock's key: lock keys always carry a {@code {hash tag}}.)</li>
 * </ul>
 *
 * <p>An ACL user without {@code CLIENT} (or without write access to the record's key) loses only
 * this: the refusal is logged once at INFO and the client works as before.
 */
public final class ClientIdentity {

    private static final Logger log = LoggerFactory.getLogger(ClientIdentity.class);

    /** How long the client record lives unless refreshed. */
    public static final long TTL_MILLIS = 180_000;
    /** How often the record is written again. */
    public static final long REFRESH_MILLIS = 60_000;

    private final String clientId;
    private final String host;
    private final long pid;
    private final long startedMillis;
    private final String connectionName;
    private final String recordKey;
    private final AtomicBoolean nameRefused = new AtomicBoolean();
    private final AtomicBoolean recordRefused = new AtomicBoolean();
    private volatile Timeout refresh;
    private volatile boolean stopped;

    public ClientIdentity(String clientId, String keyPrefix) {
        this.clientId = clientId;
        this.host = sanitize(hostName());
        this.pid = ProcessHandle.current().pid();
        this.startedMillis = System.currentTimeMillis();
        this.connectionName = "holdfast:" + host + ":" + pid + ":" + shortId(clientId);
        this.recordKey = recordKey(keyPrefix, clientId);
    }

    /** The key of client {@code clientId}'s record under {@code keyPrefix}. */
    public static String recordKey(String keyPrefix, String clientId) {
        return keyPrefix + "client:" + clientId;
    }

    /** The part of a client id its connection name carries. */
    public static String shortId(String clientId) {
        return clientId.substring(0, Math.min(8, clientId.length()));
    }

    /** {@code holdfast:<host>:<pid>:<short client id>}. */
    public String connectionName() {
        return connectionName;
    }

    public String recordKey() {
        return recordKey;
    }

    /**
     * Names a connection (at connect, or after a reconnect). Never fails: a refusal is logged once
     * at INFO, later ones at DEBUG; a connection lost before the reply only at DEBUG.
     */
    public void name(io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> connection, String which) {
        connection.clientSetname(connectionName).toCompletableFuture().whenComplete((ok, e) -> {
            if (e == null) {
                return;
            }
            if (!(Errors.unwrap(e) instanceof io.lettuce.core.RedisCommandExecutionException)) {
                log.debug("could not name the {} connection (not refused: {})", which, Errors.unwrap(e).toString());
            } else if (nameRefused.compareAndSet(false, true)) {
                log.info("cannot name the {} connection '{}' (CLIENT SETNAME: {}); CLIENT LIST will not show"
                        + " which process it is, the client record {} still does", which, connectionName,
                        Errors.unwrap(e).getMessage(), recordKey);
            } else {
                log.debug("cannot name the {} connection: {}", which, Errors.unwrap(e).getMessage());
            }
        });
    }

    /** Writes the record now and every {@link #REFRESH_MILLIS} ms until {@link #stop()}. */
    public void keepRecord(io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> connection, Timer timer) {
        if (stopped) {
            return;
        }
        connection.hset(recordKey, Map.of("clientId", clientId, "host", host, "pid", Long.toString(pid),
                "started", Long.toString(startedMillis), "name", connectionName));
        connection.pexpire(recordKey, TTL_MILLIS).toCompletableFuture().whenComplete((ok, e) -> {
            if (e != null && recordRefused.compareAndSet(false, true)) {
                log.info("cannot write the client record {} ({}); holder ids of this client will not map to a"
                        + " process", recordKey, Errors.unwrap(e).getMessage());
            }
        });
        try {
            refresh = timer.newTimeout(t -> keepRecord(connection, timer), REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IllegalStateException stoppedTimer) {
            // the timer was stopped: the client is closing
        }
    }

    /** Stops refreshing the record (it expires within {@link #TTL_MILLIS}). */
    public void stop() {
        stopped = true;
        Timeout t = refresh;
        if (t != null) {
            t.cancel();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }

    /** A connection name may not contain spaces; keep it to plain characters. */
    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
