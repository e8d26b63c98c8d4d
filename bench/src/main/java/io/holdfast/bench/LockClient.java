package io.holdfast.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * One client instance of one library (one Holdfast, one Redisson, or one floor connection), as
 * the scenarios see it: the {@code java.util.concurrent} lock interfaces both libraries implement,
 * plus the owner-based asynchronous calls the watchdog scenario uses to take many locks quickly.
 */
interface LockClient extends AutoCloseable {

    /** The reentrant exclusive lock {@code name}. */
    Lock lock(String name);

    /** The FIFO fair lock {@code name}. */
    Lock fairLock(String name);

    /** The read-write lock {@code name}. */
    ReadWriteLock readWriteLock(String name);

    /** Takes {@code name} for {@code owner} (not the calling thread), watchdog-renewed. */
    CompletionStage<?> lockAsync(String name, long owner);

    /** Releases {@code owner}'s hold on {@code name}. */
    CompletionStage<?> unlockAsync(String name, long owner);

    /** The Redis key that holds lock {@code name} (a name without braces). */
    String keyOf(String name);

    @Override
    void close();
}
