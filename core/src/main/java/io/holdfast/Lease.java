package io.holdfast;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A client-side view of one hold of a lock: its fencing token, its state and how long it is
 * known to be valid. Reading it never talks to Redis.
 */
public interface Lease {

    /**
     * The name of the lock this hold is on.
     *
     * @return the lock's name
     */
    String lockName();

    /**
     * The fencing token issued when this hold was first acquired.
     *
     * @return the fencing token
     */
    long fencingToken();

    /**
     * The state of this hold now.
     *
     * @return the state
     */
    LeaseState state();

    /**
     * The {@link System#nanoTime()} instant until which the hold is known to be valid: the send
     * time of the last acquire or renewal that succeeded, plus the lease. After it, the server
     * may have let the lock go.
     *
     * @return the deadline on the {@link System#nanoTime()} clock
     */
    long validUntilNanos();

    /**
     * Time left until {@link #validUntilNanos()}, never negative.
     *
     * @param unit the unit of the result
     * @return the time left, 0 once the deadline has passed
     */
    default long remaining(TimeUnit unit) {
        return unit.convert(Math.max(0, validUntilNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * Whether the hold is {@link LeaseState#ACTIVE} and its validity deadline has not passed.
     *
     * @return {@code true} while the hold is active and within its deadline
     */
    default boolean isValid() {
        return state() == LeaseState.ACTIVE && validUntilNanos() - System.nanoTime() > 0;
    }

    /**
     * Whether the watchdog renews this hold (no explicit lease time was given).
     *
     * @return {@code true} for a watchdog-renewed hold, {@code false} for an explicit lease
     */
    boolean isRenewed();

    /**
     * Completes, once, with the reason when this hold is lost. Stays incomplete when the hold is
     * released normally.
     *
     * @return a stage completed with the loss, on the client's callback executor
     */
    CompletionStage<LockLostException> whenLost();
}
