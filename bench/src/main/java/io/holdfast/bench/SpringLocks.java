package io.holdfast.bench;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * {@link LockClient} over one Spring Integration {@link RedisLockRegistry} (its pub/sub lock type)
 * on its own spring-data-redis {@link LettuceConnectionFactory}: what a Spring application gets.
 * Every instance uses the same registry key, so instances contend on the same Redis keys
 * ({@code bench-spring:NAME}); a renewal task scheduler renews held locks (Spring renews every
 * third of the lease), the closest it has to a watchdog.
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
    private final ThreadPoolTaskScheduler renewals;
    private final RedisLockRegistry registry;

    private SpringLocks(LettuceConnectionFactory factory, ThreadPoolTaskScheduler renewals, RedisLockRegistry registry) {
        this.factory = factory;
        this.renewals = renewals;
        this.registry = registry;
    }

    static SpringLocks connect(String redisUri, Duration lease) {
        java.net.URI uri = java.net.URI.create(redisUri);
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
        factory.afterPropertiesSet();
        factory.start();
        ThreadPoolTaskScheduler renewals = new ThreadPoolTaskScheduler();
        renewals.setThreadNamePrefix("bench-spring-renew-" + UUID.randomUUID().toString().substring(0, 8) + "-");
        renewals.setDaemon(true);
        // close() lets a renewal in flight finish instead of interrupting it (Spring logs that as an ERROR)
        renewals.setWaitForTasksToCompleteOnShutdown(true);
        renewals.setAwaitTerminationSeconds(5);
        renewals.initialize();
        RedisLockRegistry registry = new RedisLockRegistry(factory, REGISTRY_KEY, lease.toMillis());
        registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
        registry.setRenewalTaskScheduler(renewals);
        return new SpringLocks(factory, renewals, registry);
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
            renewals.shutdown();
            factory.destroy();
        }
    }
}
