package io.holdfast.internal;

import io.holdfast.spi.LockKeys;
import io.holdfast.HoldfastException;
import io.holdfast.HoldfastTimeoutException;
import io.holdfast.RedisUnavailableException;
import io.holdfast.WrongKeyTypeException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what Lettuce reports into Holdfast's exceptions, each naming the lock and the server. */
public final class Errors {

    private Errors() {
    }

    /**
     * Strips the wrappers futures put around a failure: the first cause in its chain ({@link #causes})
     * that is not a {@link CompletionException} or {@link ExecutionException}, or the last wrapper
     * if the chain holds nothing else (it ends, or loops back, on wrappers).
     */
    public static Throwable unwrap(Throwable t) {
        Throwable e = t;
        for (Throwable cause : causes(t)) {
            e = cause;
            if (!(cause instanceof CompletionException || cause instanceof ExecutionException)) {
                break;
            }
        }
        return e;
    }

    /**
     * The exception a caller should see for {@code failure}, which happened while doing
     * {@code what} (e.g. "acquiring lock 'orders'") against {@code endpoint}.
     */
    public static RuntimeException translate(Throwable failure, String what, LockKeys keys, String endpoint) {
        Throwable e = unwrap(failure);
        if (e instanceof IllegalMonitorStateException | e instanceof HoldfastException
                | e instanceof IllegalArgumentException | e instanceof CancellationException
                | e instanceof UnsupportedOperationException) {
            return (RuntimeException) e;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String refusal = authenticationRefusal(e);
        if (refusal != null) {
            // Lettuce reports a refused AUTH at connect as "Unable to connect", the reply as its cause
            return new RedisUnavailableException(what + ": Redis at " + endpoint + " refused authentication: " + refusal, e);
        }
        if (e instanceof RedisCommandTimeoutException) {
            return new HoldfastTimeoutException(what + ": Redis at " + endpoint + " did not answer in time (" + message + ")", e);
        }
        if (e instanceof RedisCommandExecutionException) {
            if (serverError(message).startsWith("WRONGTYPE")) {
                return new WrongKeyTypeException(what + ": key '" + (keys == null ? "?" : keys.key())
                        + "' holds a value of another type, written by someone else; Holdfast changed nothing", e);
            }
            String error = serverError(message);
            if (REFUSED_FOR_NOW.matcher(error).lookingAt()) {
                return new RedisUnavailableException(what + ": Redis at " + endpoint + " cannot serve it for now ("
                        + error + "); the command was refused, nothing changed", e);
            }
            return new HoldfastException(what + ": Redis at " + endpoint + " answered with an error: " + error, e);
        }
        String setup = setupFailure(e);
        if (setup != null) {
            return new RedisUnavailableException(what + ": Redis at " + endpoint + " is reachable, but " + setup, e);
        }
        if (e instanceof RedisConnectionException || e instanceof IOException
                || (e instanceof RedisException && message.contains("not connected"))) {
            return new RedisUnavailableException(what + ": Redis at " + endpoint + " is unreachable: " + message, e);
        }
        if (e instanceof RedisException || e instanceof CompletionException) {
            // a future wrapper left by unwrap holds nothing else (no cause, or a loop of wrappers)
            return new HoldfastException(what + ": " + message, e);
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        return new HoldfastException(what + ": " + message, e);
    }

    /**
     * The server's error reply as a command outside a script would get it. Redis 7 passes an error
     * raised by {@code redis.call} inside a script through unchanged ({@code WRONGTYPE Operation
     * against ...}); Redis 6.2 wraps it ({@code ERR Error running script (call to f_<sha>):
     * @user_script:12: WRONGTYPE Operation against ...}), so the same fault reads the same on both.
     */
    static String serverError(String message) {
        Matcher m = SCRIPT_ERROR_6_2.matcher(message);
        return m.matches() ? m.group(1) : message;
    }

    /**
     * Error replies of a server that refuses a command for a passing state, before running it (or, for
     * {@code READONLY}, at a script's first write on a replica, so nothing was written): a Cluster with
     * a failed master not yet replaced ({@code CLUSTERDOWN}), a multi-key command during a slot
     * migration ({@code TRYAGAIN}), a replica cut off from its master ({@code MASTERDOWN}), a server
     * loading its data ({@code LOADING}), a node that was a master when the client chose it and is a
     * replica now ({@code READONLY}). Reported as {@link RedisUnavailableException}, like an
     * unreachable server: the caller may retry.
     */
    private static final Pattern REFUSED_FOR_NOW = Pattern.compile("(CLUSTERDOWN|TRYAGAIN|MASTERDOWN|LOADING|READONLY) ");

    private static final Pattern SCRIPT_ERROR_6_2 = Pattern.compile(
            "ERR Error running script \\(call to f_[0-9a-f]+\\): @\\w+:\\d+: (.*)", Pattern.DOTALL);

    /**
     * Why a connection to a reachable server could not be set up, found in {@code e}'s cause chain
     * (Lettuce reports every failed connect as "Unable to connect"), or null: the server's error reply
     * to a setup command (e.g. {@code SELECT} of a database index out of range), or a failed TLS
     * handshake (e.g. an untrusted certificate).
     */
    private static String setupFailure(Throwable e) {
        if (!(e instanceof RedisConnectionException)) {
            return null;
        }
        List<Throwable> chain = causes(e);
        for (Throwable t : chain.subList(1, chain.size())) {
            if (t instanceof RedisCommandExecutionException && t.getMessage() != null) {
                return "it refused the connection setup: " + t.getMessage();
            }
            if (t instanceof javax.net.ssl.SSLException) {
                List<Throwable> below = causes(t);
                Throwable root = below.get(below.size() - 1);
                return "the TLS handshake failed: " + t.getMessage()
                        + (root != t && root.getMessage() != null ? " (" + root.getMessage() + ")" : "");
            }
        }
        return null;
    }

    /** The server's NOAUTH / WRONGPASS reply somewhere in {@code e}'s cause chain, or null. */
    private static String authenticationRefusal(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof RedisCommandExecutionException && t.getMessage() != null
                    && (t.getMessage().startsWith("NOAUTH") || t.getMessage().startsWith("WRONGPASS"))) {
                return t.getMessage();
            }
        }
        return null;
    }

    /**
     * {@code e} and its causes, outermost first; ends at a cause seen already (a cycle, which
     * {@link Throwable#initCause} allows) or after 64.
     */
    public static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && chain.size() < 64 && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
