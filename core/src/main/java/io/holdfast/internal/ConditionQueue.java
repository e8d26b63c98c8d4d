package io.holdfast.internal;

import io.holdfast.spi.LockKeys;
import io.holdfast.spi.RedisGateway;
import io.holdfast.spi.Script;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One distributed condition on the server: its two keys in the lock's slot (see
 * {@code condition.lua} for the layout) and the scripts that change them. Its channel has the name
 * of its queue key (channels and keys are apart in Redis).
 */
final class ConditionQueue {

    private static final Script AWAIT = Script.load(ConditionQueue.class, "condition-await.lua");
    private static final Script SIGNAL = Script.load(ConditionQueue.class, "condition-signal.lua");
    private static final Script LEAVE = Script.load(ConditionQueue.class, "condition-leave.lua");

    private final RedisGateway redis;
    private final LockKeys keys;
    private final String queue;
    private final String deadlines;

    ConditionQueue(RedisGateway redis, LockKeys keys, String name) {
        this.redis = redis;
        this.keys = keys;
        this.queue = keys.derived(LockKeys.CONDITION) + name;
        this.deadlines = keys.derived(LockKeys.CONDITION_DEADLINES) + name;
    }

    /** The channel a signal publishes on. */
    String channel() {
        return queue;
    }

    /** Registers {@code waiterId} at the tail if {@code holder} holds the lock: 1, else 0 (see condition-await.lua). */
    CompletableFuture<Long> register(String holder, String waiterId, long patienceMillis) {
        return redis.eval(AWAIT, ScriptOutputType.INTEGER, new String[] {keys.key(), queue, deadlines}, holder, waiterId,
                Long.toString(patienceMillis));
    }

    /** {@code "one"} or {@code "all"}: {@code {signalled, message}}, or {@code {-1, ""}} if the holder has no hold. */
    CompletableFuture<List<Object>> signal(String holder, String which) {
        return redis.eval(SIGNAL, ScriptOutputType.MULTI, new String[] {keys.key(), queue, deadlines, queue}, holder,
                which);
    }

    /** Takes {@code waiterId} out: whether it was still waiting (not signalled). */
    CompletableFuture<Boolean> leave(String waiterId) {
        return redis.<Long>eval(LEAVE, ScriptOutputType.INTEGER, new String[] {queue, deadlines}, waiterId)
                .thenApply(n -> n == 1);
    }

    /** Whether {@code waiterId} still waits (a plain read: {@code ZSCORE}); gone means signalled. */
    CompletableFuture<Boolean> waiting(String waiterId) {
        return redis.async().zscore(queue, waiterId).toCompletableFuture().thenApply(score -> score != null);
    }

    /** The watchdog's view of {@code waiterId}'s entry, registered at {@code sentNanos}. */
    ConditionPlace place(String waiterId, Waiter waiter, long patienceMillis, long sentNanos) {
        return new ConditionPlace(queue, deadlines, waiterId, waiter, patienceMillis, sentNanos);
    }
}
