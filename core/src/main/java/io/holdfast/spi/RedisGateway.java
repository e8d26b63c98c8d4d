package io.holdfast.spi;

import io.holdfast.internal.Errors;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The client's one command connection, seen through the asynchronous API. Scripts run by
 * {@code EVALSHA}; a {@code NOSCRIPT} reply (after a restart or {@code SCRIPT FLUSH}) is answered
 * by one {@code EVAL} of the source, which also puts the script back into the server's cache.
 */
public final class RedisGateway {

    private final RedisAsyncCommands<String, String> async;
    private final String endpoint;
    private final java.util.concurrent.atomic.AtomicLong disconnects;
    private final java.util.concurrent.atomic.AtomicReference<String> serverId =
            new java.util.concurrent.atomic.AtomicReference<>("");

    /** A gateway whose connection loss nobody counts (tests of parts that never release). */
    public RedisGateway(RedisAsyncCommands<String, String> async, String endpoint) {
        this(async, endpoint, new java.util.concurrent.atomic.AtomicLong());
    }

    /**
     * @param disconnects counts the times the command connection was lost: a command in flight
     *     across one may have run twice (Lettuce re-sends commands whose replies it did not read)
     */
    public RedisGateway(RedisAsyncCommands<String, String> async, String endpoint,
            java.util.concurrent.atomic.AtomicLong disconnects) {
        this.async = async;
        this.endpoint = endpoint;
        this.disconnects = disconnects;
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
     * The {@code run_id} of the server process last seen on the command connection (read at connect
     * and after every reconnect, see {@link #refreshServerId()}); empty if not known (e.g. an ACL
     * user without {@code INFO}). A restarted server has a new one and none of the old one's keys
     * unless it persisted them.
     */
    public String serverId() {
        return serverId.get();
    }

    /**
     * Asks the server for its {@code run_id} ({@code INFO server}) and records it as
     * {@link #serverId()}. Completes with the id, or with an empty string if the server would not
     * say (never fails).
     */
    public CompletableFuture<String> refreshServerId() {
        return async.info("server").toCompletableFuture().handle((info, e) -> {
            String id = e == null ? runId(info) : "";
            serverId.set(id);
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

    /** Lettuce's asynchronous commands on the shared connection. */
    public RedisAsyncCommands<String, String> async() {
        return async;
    }

    /** {@code host:port} of the server, for error messages. */
    public String endpoint() {
        return endpoint;
    }

    /** Runs {@code script}; the future fails with Lettuce's exception, see {@link Errors#translate}. */
    public <T> CompletableFuture<T> eval(Script script, ScriptOutputType type, String[] keys, String... args) {
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
