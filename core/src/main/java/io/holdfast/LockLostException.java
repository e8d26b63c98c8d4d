package io.holdfast;

/**
 * The hold this operation relied on is gone: its lease ran out, somebody force-unlocked it, or
 * the watchdog could not renew it before its deadline. Mutual exclusion may already have been
 * broken; use the fencing token to reject the stale holder's writes.
 */
public class LockLostException extends IllegalMonitorStateException {

    private static final long serialVersionUID = 1L;

    /** The name of the lock whose hold was lost (serialized). */
    private final String lockName;

    /**
     * An exception for a lost hold; the message names the lock and the reason.
     *
     * @param lockName the lock whose hold was lost
     * @param reason why, e.g. "lease expired"
     */
    public LockLostException(String lockName, String reason) {
        super("lock '" + lockName + "' was lost: " + reason);
        this.lockName = lockName;
    }

    /**
     * The name of the lock whose hold was lost.
     *
     * @return the lock's name
     */
    public String lockName() {
        return lockName;
    }
}
