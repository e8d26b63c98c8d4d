package io.holdfast.spi;

/**
 * One acquisition attempt.
 *
 * @param keys the lock
 * @param holderId who acquires
 * @param mode a fresh attempt (and whether it waits, and is the acquisition's first) or a re-entry
 * @param leaseMillis the lease to set (the watchdog lease when the hold is renewed)
 * @param memo the latest {@link AttemptResult#memo()} a BUSY reply of this acquisition carried, null
 *     for a first attempt and a re-entry: state of the kind's own that lives as long as the
 *     acquisition (the read lock: since when the reader waits, in server time)
 * @param acquisitionId the fresh acquisition this attempt belongs to, unique in its client (0 for a
 *     re-entry): a hand-over names it, so that a late hand-over message of an earlier acquisition
 *     of the same holder is not taken for one of this acquisition
 * @param level a re-entry: the hold count after it (the client's count + 1), which the script sets
 *     rather than adds one to, so that a re-sent re-entry counts once; 0 for a fresh acquisition
 */
public record AttemptRequest(LockKeys keys, String holderId, AttemptMode mode, long leaseMillis,
        String memo, long acquisitionId, int level) {
}
