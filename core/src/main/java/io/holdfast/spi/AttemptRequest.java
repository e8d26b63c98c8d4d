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
 * @param renewed the hold will be renewed by the watchdog (no explicit lease); for a re-entry: the
 *     re-entry asks for no explicit lease and the hold is renewed, so the lease needs no extending
 * @param acquisitionId the fresh acquisition this attempt belongs to, unique in its client (0 for a
 *     re-entry): a hand-over names it, so that a late hand-over message of an earlier acquisition
 *     of the same holder is not taken for one of this acquisition
 * @param first it is the acquisition's first attempt
 * @param level a re-entry: the hold count after it (the client's count + 1), which the script sets
 *     rather than adds one to, so that a re-sent re-entry counts once; 0 for a fresh acquisition
 */
public record AttemptRequest(LockKeys keys, String holderId, long leaseMillis, boolean reenter, boolean willWait,
        long waitingSinceMillis, boolean renewed, long acquisitionId, boolean first, int level) {
}
