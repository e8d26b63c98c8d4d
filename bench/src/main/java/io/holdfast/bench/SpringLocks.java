package io.holdfast.bench;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * {@link LockClient} over one Spring Integration {@link RedisLockRegistry} (its pub/sub lock type)
 * on its own spring-data-redis {@link LettuceConnectionFactory}: what a Spring application gets.
 * Every instance uses the same registry key, so instances contend on the same Redis keys
 * ({@code bench-spring:NAME}), with the registry's defaults but {@code expireAfter} = the lease.
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

    private final LettuceConnectionFactory factory;
    private final RedisLockRegistry registry;

    private SpringLocks(LettuceConnectionFactory factory, RedisLockRegistry registry) {
        this.factory = factory;
        this.registry = registry;
    }

    static SpringLocks connect(String redisUri, Duration lease) {
        java.net.URI uri = java.net.URI.create(redisUri);
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
        factory.afterPropertiesSet();
        factory.start();
        RedisLockRegistry registry = new RedisLockRegistry(factory, REGISTRY_KEY, lease.toMillis());
        registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
        return new SpringLocks(factory, registry);
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
        return REGISTRY_KEY + ":" + name;
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
