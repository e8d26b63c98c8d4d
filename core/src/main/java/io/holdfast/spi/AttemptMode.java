package io.holdfast.spi;

/**
 * What one acquisition attempt is, as the engine tells a kind: a fresh acquisition that will not
 * wait, the first or a later attempt of one that waits, or a re-entry. A kind passes
 * {@link #code()} to its acquire script (the queued lock's {@code acquire.lua} takes it as is) or
 * reads {@link #reentry()} and {@link #willWait()}.
 */
public enum AttemptMode {

    /** A fresh acquisition that will not wait if the lock is busy: one attempt, never queued. */
    TRY("try"),
    /** The first attempt of a fresh acquisition that will wait if the lock is busy (a queued lock joins its queue). */
    JOIN("join"),
    /** A later attempt of a fresh acquisition that waits: after a wake-up or a bounded park. */
    WAIT("wait"),
    /** A re-entry with a lease of its own: one more level; the hold's lease is made at least that long. */
    REENTER("reenter"),
    /** A re-entry without a lease of its own: one more level; the hold's lease is kept as it is. */
    REENTER_KEEPING_LEASE("reenter-kept");

    private final String code;

    AttemptMode(String code) {
        this.code = code;
    }

    /** The mode as the scripts take it in ARGV: {@code try}, {@code join}, {@code wait}, {@code reenter}, {@code reenter-kept}. */
    public String code() {
        return code;
    }

    /** Whether the holder already holds this role: the attempt only counts one more level, or reports GONE. */
    public boolean reentry() {
        return this == REENTER || this == REENTER_KEEPING_LEASE;
    }

    /** Whether the caller will wait if this attempt finds the lock busy. */
    public boolean willWait() {
        return this == JOIN || this == WAIT;
    }

    /**
     * The mode of a fresh acquisition's attempt.
     *
     * @param willWait whether the acquisition waits if the lock is busy
     * @param first whether this is its first attempt
     * @return the mode
     */
    public static AttemptMode fresh(boolean willWait, boolean first) {
        return !willWait ? TRY : first ? JOIN : WAIT;
    }
}
