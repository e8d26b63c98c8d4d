package io.holdfast;

/** The life of one hold, as the client sees it. */
public enum LeaseState {
    /** Held: acquired and, if renewed, renewed in time. */
    ACTIVE,
    /** The last level is being released; the watchdog no longer treats a missing key as a loss. */
    RELEASING,
    /** Released by its owner (count reached zero). Final. */
    RELEASED,
    /**
     * The server no longer has it (lease ran out, force-unlocked, key gone) or it could not be
     * renewed before its deadline. Final; {@code unlock()} reports it.
     */
    LOST
}
