package io.holdfast;

import java.util.concurrent.locks.ReadWriteLock;

/**
 * A pair of locks over one name: a shared read lock and an exclusive write lock, both
 * {@link RLock}s with reentrancy, leases, fencing tokens and the lost-lease signal. Every read
 * hold has a lease of its own.
 *
 * <p>Policy (phase-fair): once a writer waits, new readers wait behind it, except a thread
 * re-entering its read hold and the write holder taking the read lock, so writers are not starved.
 * When a write hold is released while readers and a writer wait, the readers that were already
 * waiting at that moment go in ahead of the waiting writer, so readers are not starved either.
 * Writers among themselves are not ordered. Downgrade (take the read
 * lock while holding the write lock, then release the write lock) is allowed. Upgrade is refused
 * at once: for a thread that holds the read lock, {@code writeLock().tryLock(...)} returns
 * {@code false} and {@code writeLock().lock()} throws {@link LockUpgradeException} (an
 * {@link IllegalMonitorStateException}). The
 * exact policy is in the implementation's Javadoc and the README ("Read-write lock").
 *
 * <p><b>One name, one resource.</b> {@code getReadWriteLock(n)} and {@code getLock(n)} (or
 * {@code getFairLock(n)}) share one key and exclude each other: while the exclusive lock is held,
 * neither the read nor the write lock is granted, and the reverse; a waiter of one kind gets the
 * lock after the other kind releases it, at the latest a few seconds later (the two kinds do not
 * wake each other by message: the waiter looks again when the holder's lease or its own
 * bounded wait says so). {@code forceUnlock()} of one kind leaves a hold of the other kind
 * alone and returns {@code false}.
 */
public interface RReadWriteLock extends ReadWriteLock {

    /**
     * The name this lock pair was obtained with.
     *
     * @return the name given to {@code getReadWriteLock}
     */
    String getName();

    @Override
    RLock readLock();

    @Override
    RLock writeLock();
}
