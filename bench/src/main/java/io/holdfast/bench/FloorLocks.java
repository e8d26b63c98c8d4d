package io.holdfast.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The floor: a "lock" whose {@code lock()} and {@code unlock()} are each one plain
 * {@code EVALSHA} of a trivial script on one shared Lettuce connection. It excludes nothing; it
 * is the cost of the round trips alone, which no lock over Redis can beat.
 */
final class FloorLocks implements LockClient {

    private static final String SCRIPT = "return 1";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String sha;
    private final RoundTrip roundTrip = new RoundTrip();

    private FloorLocks(RedisClient client) {
        this.client = client;
        this.connection = client.connect();
        this.sha = connection.sync().scriptLoad(SCRIPT);
    }

    static FloorLocks connect(String redisUri) {
        return new FloorLocks(RedisClient.create(redisUri));
    }

    @Override
    public Lock lock(String name) {
        return roundTrip;
    }

    @Override
    public Lock fairLock(String name) {
        return roundTrip;
    }

    @Override
    public ReadWriteLock readWriteLock(String name) {
        return new ReadWriteLock() {
            @Override
            public Lock readLock() {
                return roundTrip;
            }

            @Override
            public Lock writeLock() {
                return roundTrip;
            }
        };
    }

    @Override
    public CompletionStage<?> lockAsync(String name, long owner) {
        return evalAsync();
    }

    @Override
    public CompletionStage<?> unlockAsync(String name, long owner) {
        return evalAsync();
    }

    private CompletionStage<?> evalAsync() {
        RedisAsyncCommands<String, String> async = connection.async();
        return async.evalsha(sha, ScriptOutputType.INTEGER);
    }

    @Override
    public String keyOf(String name) {
        return name;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    /** One EVALSHA per call, nothing else. */
    private final class RoundTrip implements Lock {
        private void call() {
            RedisCommands<String, String> sync = connection.sync();
            sync.evalsha(sha, ScriptOutputType.INTEGER);
        }

        @Override
        public void lock() {
            call();
        }

        @Override
        public void lockInterruptibly() {
            call();
        }

        @Override
        public boolean tryLock() {
            call();
            return true;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            call();
            return true;
        }

        @Override
        public void unlock() {
            call();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException();
        }
    }
}
