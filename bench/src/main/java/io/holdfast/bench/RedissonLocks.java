package io.holdfast.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * {@link LockClient} over one {@link RedissonClient}: a single-server config (or, for a
 * {@code redis-cluster://} URI, a cluster config with every node as a seed) with Redisson's
 * defaults (connection pool, threads, its cluster defaults) except the watchdog timeout.
 */
final class RedissonLocks implements LockClient {

    /** Holdfast's Cluster URI scheme ({@code redis-cluster://h:p,h:p}): a cluster config with every node as a seed. */
    private static final String CLUSTER_SCHEME = "redis-cluster://";

    private final RedissonClient redisson;

    private RedissonLocks(RedissonClient redisson) {
        this.redisson = redisson;
    }

    static RedissonLocks connect(String redisUri, Duration watchdogLease) {
        Config config = new Config();
        if (redisUri.startsWith(CLUSTER_SCHEME)) {
            config.useClusterServers().addNodeAddress(Arrays.stream(redisUri.substring(CLUSTER_SCHEME.length()).split(","))
                    .map(node -> "redis://" + node).toArray(String[]::new));
        } else {
            config.useSingleServer().setAddress(redisUri);
        }
        config.setLockWatchdogTimeout(watchdogLease.toMillis());
        return new RedissonLocks(Redisson.create(config));
    }

    @Override
    public Lock lock(String name) {
        return redisson.getLock(name);
    }

    @Override
    public Lock fairLock(String name) {
        return redisson.getFairLock(name);
    }

    @Override
    public ReadWriteLock readWriteLock(String name) {
        return redisson.getReadWriteLock(name);
    }

    @Override
    public CompletionStage<?> lockAsync(String name, long owner) {
        return redisson.getLock(name).lockAsync(owner);
    }

    @Override
    public CompletionStage<?> unlockAsync(String name, long owner) {
        return redisson.getLock(name).unlockAsync(owner);
    }

    @Override
    public String keyOf(String name) {
        return name;
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
