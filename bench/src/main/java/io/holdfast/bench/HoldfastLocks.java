package io.holdfast.bench;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/** {@link LockClient} over one {@link Holdfast} instance, with default options but the lease. */
final class HoldfastLocks implements LockClient {

    private final Holdfast holdfast;

    private HoldfastLocks(Holdfast holdfast) {
        this.holdfast = holdfast;
    }

    static HoldfastLocks connect(String redisUri, Duration watchdogLease) {
        return new HoldfastLocks(Holdfast.connect(HoldfastOptions.builder(redisUri)
                .watchdogLease(watchdogLease)
                .build()));
    }

    @Override
    public Lock lock(String name) {
        return holdfast.getLock(name);
    }

    @Override
    public Lock fairLock(String name) {
        return holdfast.getFairLock(name);
    }

    @Override
    public ReadWriteLock readWriteLock(String name) {
        return holdfast.getReadWriteLock(name);
    }

    @Override
    public CompletionStage<?> lockAsync(String name, long owner) {
        return holdfast.getLock(name).lockAsync(owner, -1, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> unlockAsync(String name, long owner) {
        return holdfast.getLock(name).unlockAsync(owner);
    }

    @Override
    public String keyOf(String name) {
        return "holdfast:{" + name + "}";
    }

    @Override
    public void close() {
        holdfast.close();
    }
}
