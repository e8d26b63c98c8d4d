package io.holdfast.fair;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;

/** Looks at a fair lock's keys on the server directly (default key prefix). */
final class FairQueueProbe {

    private final RedisCommands<String, String> redis;
    private final String name;

    FairQueueProbe(RedisCommands<String, String> redis, String name) {
        this.redis = redis;
        this.name = name;
    }

    String lockKey() {
        return "holdfast:{" + name + "}";
    }

    String queueKey() {
        return lockKey() + ":queue";
    }

    /** The waiter key of a queued holder: it lives while the waiter renews it. */
    String waiterKey(String holderId) {
        return lockKey() + ":waiter:" + holderId;
    }

    /** The holder ids in the queue, head first. */
    List<String> queue() {
        return redis.lrange(queueKey(), 0, -1);
    }

    /** Waits (30 s at most) until exactly {@code n} waiters are queued. */
    void awaitLength(int n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.llen(queueKey()) == n);
    }

    /** The waiter key's remaining life in ms, or null if it has none (not waiting, or dead). */
    Long waiterTtl(String holderId) {
        long ttl = redis.pttl(waiterKey(holderId));
        return ttl < 0 ? null : ttl;
    }

    /** Server time in ms. */
    long serverMillis() {
        List<String> t = redis.time();
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    /** Every key of the lock still on the server (lock, queue, waiter keys). */
    List<String> keysLeft() {
        return redis.keys(lockKey() + "*");
    }
}
