package io.holdfast.stress;

import io.holdfast.spi.RedisGateway;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis-facing edge, faked in memory: these tests are about JVM-local races, not about lock
 * semantics on a server (those are tested against real {@code redis-server}s elsewhere).
 *
 * <p>{@link #gateway} answers every {@code EVALSHA} as a watchdog renewal batch would be answered
 * (one flag per item: all renewed, or all gone) and counts the items it was asked to renew.
 * {@link #pubSub} accepts SUBSCRIBE/UNSUBSCRIBE and logs them in the order they were issued.
 */
final class FakeRedis {

    /** Items asked for in every renewal batch sent so far. */
    final AtomicInteger renewalsAsked = new AtomicInteger();
    private final long reply;
    private final List<String> pubSubLog = new ArrayList<>();

    /** @param renewed whether renewals report the items renewed (1) or gone from the server (0) */
    FakeRedis(boolean renewed) {
        this.reply = renewed ? 1L : 0L;
    }

    RedisGateway gateway() {
        RedisAsyncCommands<?, ?> async = proxy(RedisAsyncCommands.class, (method, args) -> {
            if (!method.equals("evalsha")) {
                throw new UnsupportedOperationException(method);
            }
            Object[] argv = (Object[]) args[3];
            int items = argv.length - 2;
            renewalsAsked.addAndGet(items);
            List<Long> flags = new ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                flags.add(reply);
            }
            return Replies.of(flags);
        });
        @SuppressWarnings("unchecked")
        RedisAsyncCommands<String, String> typed = (RedisAsyncCommands<String, String>) async;
        return new RedisGateway(typed, "fake:0");
    }

    StatefulRedisPubSubConnection<String, String> pubSub() {
        RedisPubSubAsyncCommands<?, ?> async = proxy(RedisPubSubAsyncCommands.class, (method, args) -> {
            switch (method) {
                case "subscribe", "unsubscribe" -> {
                    synchronized (pubSubLog) {
                        for (Object channel : (Object[]) args[0]) {
                            pubSubLog.add(method + " " + channel);
                        }
                    }
                    return Replies.of(null);
                }
                default -> throw new UnsupportedOperationException(method);
            }
        });
        @SuppressWarnings("unchecked")
        StatefulRedisPubSubConnection<String, String> conn = proxy(StatefulRedisPubSubConnection.class,
                (method, args) -> switch (method) {
                    case "async" -> async;
                    case "addListener", "close" -> null;
                    default -> throw new UnsupportedOperationException(method);
                });
        return conn;
    }

    /** SUBSCRIBE/UNSUBSCRIBE commands issued so far, e.g. {@code "subscribe c"}. */
    List<String> pubSubLog() {
        synchronized (pubSubLog) {
            return List.copyOf(pubSubLog);
        }
    }

    /** Whether the last command issued for {@code channel} left it subscribed. */
    boolean subscribed(String channel) {
        List<String> log = pubSubLog();
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).endsWith(" " + channel)) {
                return log.get(i).startsWith("subscribe");
            }
        }
        return false;
    }

    /** How many SUBSCRIBE and UNSUBSCRIBE commands were issued for {@code channel}. */
    int commands(String verb, String channel) {
        return (int) pubSubLog().stream().filter((verb + " " + channel)::equals).count();
    }

    @FunctionalInterface
    private interface Handler {
        Object invoke(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        Object p = Proxy.newProxyInstance(FakeRedis.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    case "toString" -> "fake " + type.getSimpleName();
                    default -> handler.invoke(method.getName(), args == null ? new Object[0] : args);
                });
        return type.cast(p);
    }
}
