package io.holdfast.fair;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;

/**
 * Looks at a fair lock's keys on the server directly (default key prefix): the queue ZSET and the
 * waiters HASH, whose entries are {@code "<deadline>|<identity>"} (see reentrant's {@code queue.lua}).
 */
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

    String waitersKey() {
        return lockKey() + ":waiters";
    }

    /** The holder ids in the queue, head first. */
    List<String> queue() {
        return redis.zrange(queueKey(), 0, -1);
    }

    /** Waits (30 s at most) until exactly {@code n} waiters are queued. */
    void awaitLength(int n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.zcard(queueKey()) == n);
    }

    /**
     * Queues {@code holderId} at the tail as a live waiter for {@code ttlMillis}, as another client
     * would, with {@code value} = "<lease>:<acquisition>[.<placement>]".
     */
    void addWaiter(String holderId, long ttlMillis, String value) {
        List<io.lettuce.core.ScoredValue<String>> tail = redis.zrevrangeWithScores(queueKey(), 0, 0);
        double next = tail.isEmpty() ? 1 : tail.get(0).getScore() + 1;
        redis.zadd(queueKey(), next, holderId);
        redis.hset(waitersKey(), holderId, (serverMillis() + ttlMillis) + "|" + value);
    }

    /** The waiter's remaining life in ms (its deadline − server time), or null if it has none (not waiting, or dead). */
    Long waiterTtl(String holderId) {
        String entry = redis.hget(waitersKey(), holderId);
        if (entry == null) {
            return null;
        }
        long ttl = Long.parseLong(entry.substring(0, entry.indexOf('|'))) - serverMillis();
        return ttl <= 0 ? null : ttl;
    }

    /** Server time in ms. */
    long serverMillis() {
        List<String> t = redis.time();
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    /** Every key of the lock still on the server (lock, queue, waiters). */
    List<String> keysLeft() {
        return redis.keys(lockKey() + "*");
    }
}
