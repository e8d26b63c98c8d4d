package io.holdfast.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * {@link LockClient} over one Spring Integration {@link RedisLockRegistry} (its pub/sub lock type)
 * on its own spring-data-redis {@link LettuceConnectionFactory}: what a Spring application gets.
 * Every instance uses the same registry key, so instances contend on the same Redis keys
 * ({@code bench-spring:NAME}), with the registry's defaults but {@code expireAfter} = the lease. On a
 * {@code redis-cluster://} URI: a cluster connection factory with every node as a seed, and the
 * registry key {@value #CLUSTER_REGISTRY_KEY} (see there).
 *
 * <p>No renewal task scheduler, as by default: with one set, Spring 6.5.3 schedules each hold's
 * renewal "as soon as possible" and then every third of the lease, so every acquisition pays one
 * more round trip at once, and an {@code unlock()} that cancels a renewal in flight interrupts it
 * (logged as an ERROR "Redis command interrupted"). Without it a hold simply expires after the lease;
 * no scenario Spring runs in holds a lock that long (the crash scenario's holder is killed within
 * its lease), so this default favours Spring only by the watchdog work it does not do.
 *
 * <p>Exclusive locks only: the registry has no fair or read-write lock, and its locks belong to
 * threads (a local {@code ReentrantLock} guards each one), so owner-based asynchronous calls are
 * not supported. Within one instance the threads wanting one lock queue on that local lock, and
 * only the one at its head waits on Redis.
 */
final class SpringLocks implements LockClient {

    /** The registry key every instance shares. */
    static final String REGISTRY_KEY = "bench-spring";

    /**
     * The registry key on a Redis Cluster ({@code redis-cluster://} URI): hash-tagged, because the
     * registry's unlock script gets the lock key and its unlock channel ({@code REGISTRY_KEY-channel})
     * both in {@code KEYS}, which a Cluster refuses ({@code CROSSSLOT}) unless they share a slot. So
     * every lock of a registry lives on one master there.
     */
    static final String CLUSTER_REGISTRY_KEY = "{bench-spring}";

    private static final String CLUSTER_SCHEME = "redis-cluster://";

    private final LettuceConnectionFactory factory;
    private final RedisLockRegistry registry;
    private final String registryKey;

    private SpringLocks(LettuceConnectionFactory factory, RedisLockRegistry registry, String registryKey) {
        this.factory = factory;
        this.registry = registry;
        this.registryKey = registryKey;
    }

    static SpringLocks connect(String redisUri, Duration lease) {
        boolean cluster = redisUri.startsWith(CLUSTER_SCHEME);
        LettuceConnectionFactory factory;
        if (cluster) {
            factory = new LettuceConnectionFactory(new RedisClusterConfiguration(
                    List.of(redisUri.substring(CLUSTER_SCHEME.length()).split(","))));
        } else {
            java.net.URI uri = java.net.URI.create(redisUri);
            factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
        }
        factory.afterPropertiesSet();
        factory.start();
        String registryKey = cluster ? CLUSTER_REGISTRY_KEY : REGISTRY_KEY;
        RedisLockRegistry registry = new RedisLockRegistry(factory, registryKey, lease.toMillis());
        registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
        return new SpringLocks(factory, registry, registryKey);
    }

    @Override
    public Lock lock(String name) {
        return registry.obtain(name);
    }

    @Override
    public Lock fairLock(String name) {
        throw new UnsupportedOperationException("RedisLockRegistry has no fair lock");
    }

    @Override
    public ReadWriteLock readWriteLock(String name) {
        throw new UnsupportedOperationException("RedisLockRegistry has no read-write lock");
    }

    @Override
    public CompletionStage<?> lockAsync(String name, long owner) {
        throw new UnsupportedOperationException("RedisLockRegistry locks belong to threads");
    }

    @Override
    public CompletionStage<?> unlockAsync(String name, long owner) {
        throw new UnsupportedOperationException("RedisLockRegistry locks belong to threads");
    }

    @Override
    public String keyOf(String name) {
        return registryKey + ":" + name;
    }

    @Override
    public void close() {
        try {
            registry.destroy();
        } finally {
            factory.destroy();
        }
    }
}
