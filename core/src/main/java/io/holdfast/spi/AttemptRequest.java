package io.holdfast.spi;

/**
 * One acquisition attempt.
 *
 * @param keys the lock
 * @param holderId who acquires
 * @param leaseMillis the lease to set (the watchdog lease when the hold is renewed)
 * @param reenter the holder already holds this role: only count one more level, or report GONE
 * @param willWait the caller will wait if this attempt fails (a fair lock joins its queue only then)
 * @param waitingSinceMillis the server time of this acquisition's first BUSY reply (if the kind
 *     reported one: {@link AttemptResult#serverMillis()}), 0 for a first attempt; how long the
 *     caller has waited, in the server's clock
 */
public record AttemptRequest(LockKeys keys, String holderId, long leaseMillis, boolean reenter, boolean willWait,
        long waitingSinceMillis) {
}
