package io.holdfast;

import java.util.concurrent.locks.ReadWriteLock;

/**
 * A pair of locks over one name: a shared read lock and an exclusive write lock, both
 * {@link RLock}s with reentrancy, leases, fencing tokens and the lost-lease signal. See the
 * implementation's Javadoc for the exact fairness policy.
 */
public interface RReadWriteLock extends ReadWriteLock {

    /** The name this lock pair was obtained with. */
    String getName();

    @Override
    RLock readLock();

    @Override
    RLock writeLock();
}
