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
     * The instant until which the hold is known to be valid: the send time of the last acquire or
     * renewal that succeeded, plus the lease (less a small margin). After it, the server may have
     * let the lock go.
     *
     * @return the deadline on the client's {@link HoldfastOptions#ticker() ticker}
     *     ({@link System#nanoTime()} unless the client was given another one)
     */
    long validUntilNanos();

    /**
     * Time left until {@link #validUntilNanos()}, never negative, read on the client's
     * {@link HoldfastOptions#ticker() ticker}.
     *
     * @param unit the unit of the result
     * @return the time left, 0 once the deadline has passed
     */
    long remaining(TimeUnit unit);

    /**
     * Whether the hold is {@link LeaseState#ACTIVE} and its validity deadline has not passed on the
     * client's {@link HoldfastOptions#ticker() ticker}.
     *
     * @return {@code true} while the hold is active and within its deadline
     */
    boolean isValid();

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
