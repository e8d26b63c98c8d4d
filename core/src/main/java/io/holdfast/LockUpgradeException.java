package io.holdfast;

/**
 * Thrown by the write lock's {@code lock()} and {@code lockInterruptibly()} (and fails the future of
 * {@code lockAsync}) when the caller holds the read lock of the same {@link RReadWriteLock}: a
 * read-to-write upgrade. It is refused at once, since waiting for it would wait for the caller's
 * own read hold for ever. Nothing was acquired or changed; release the read lock first. The
 * {@code tryLock} methods report the same case by returning {@code false}.
 */
public class LockUpgradeException extends IllegalMonitorStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param lockName the lock the caller tried to upgrade
     * @param reason why the lock refused, as the lock kind stated it
     */
    public LockUpgradeException(String lockName, String reason) {
        super("lock '" + lockName + "' refused: " + reason);
    }
}
