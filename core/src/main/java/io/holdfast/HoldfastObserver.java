package io.holdfast;

/**
 * Told what a client's locks do, for metrics and tracing (e.g. {@code holdfast-micrometer}); set
 * with {@link HoldfastOptions.Builder#observer(HoldfastObserver)}. Every method has a no-op
 * default, so an observer implements only what it needs.
 *
 * <p>Threads and order: the client calls an observer one event at a time, in the order the
 * events happened in the client, on its callback executor ({@link HoldfastOptions#callbackExecutor()}),
 * never on a Redis I/O thread and never on the caller's thread. Events are queued, so an observer
 * that blocks delays the events after it, not the locks. An exception an observer throws is logged
 * at WARN and otherwise ignored; it never reaches the lock. Without an observer (the default) no
 * event is queued at all.
 *
 * <p>{@code kind} is one of {@code "exclusive"} ({@link Holdfast#getLock}), {@code "fair"}
 * ({@link Holdfast#getFairLock}), {@code "read"} and {@code "write"}
 * ({@link Holdfast#getReadWriteLock}). Times are measured on the client's
 * {@link HoldfastOptions#ticker() ticker}, in nanoseconds. Only fresh acquisitions are reported: a
 * re-entry (a holder taking a lock it holds again) neither waits nor starts a hold, and unlocking
 * one of its levels releases nothing.
 */
public interface HoldfastObserver {

    /** An observer that ignores everything: the default. */
    HoldfastObserver NONE = new HoldfastObserver() { };

    /**
     * One observer that tells each of {@code observers} every event, in their order; one that
     * throws is logged at WARN and the others are still told. With one observer, that observer; with
     * none, {@link #NONE}.
     *
     * @param observers the observers (copied)
     * @return the observer telling them all
     * @throws NullPointerException if the list or one of its observers is null
     */
    static HoldfastObserver composite(java.util.List<? extends HoldfastObserver> observers) {
        return io.holdfast.internal.ForwardingObserver.composite(observers);
    }

    /** How a fresh acquisition ended. */
    enum Outcome {
        /** The caller holds the lock. */
        ACQUIRED,
        /** The wait time ran out (or a {@code tryLock()} without wait found the lock busy). */
        TIMED_OUT,
        /** The caller was interrupted, or cancelled the future of an async acquisition. */
        INTERRUPTED,
        /** An error ended it: Redis unreachable, a refused upgrade, the client closed, and so on. */
        FAILED
    }

    /** Why a hold was lost (see {@link LockLostException}). */
    enum LossCause {
        /**
         * The server no longer had the hold: its lease ran out, its key was deleted, a failover lost
         * it, or another client force-unlocked it.
         */
        GONE_FROM_SERVER,
        /** The watchdog could not renew it before its lease ran out (Redis unreachable or too slow). */
        NOT_RENEWED,
        /** {@code forceUnlock()} of this client freed it. */
        FORCE_UNLOCKED,
        /** The thread that held it ended without unlocking; the client stopped renewing it. */
        OWNER_ENDED
    }

    /**
     * A fresh acquisition started: the caller now waits for the lock (or, for {@code tryLock()}
     * without wait, for its one attempt).
     *
     * @param lockName the lock's name
     * @param kind the lock's kind (see the class comment)
     */
    default void acquisitionStarted(String lockName, String kind) {
    }

    /**
     * A fresh acquisition ended; one such call follows each {@link #acquisitionStarted}.
     *
     * @param lockName the lock's name
     * @param kind the lock's kind
     * @param outcome how it ended
     * @param waitNanos from its start to its end
     */
    default void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
    }

    /**
     * The last level of a hold was released: the hold that an {@link Outcome#ACQUIRED} acquisition
     * started is over. A hold that is lost instead is reported by {@link #leaseLost}.
     *
     * @param lockName the lock's name
     * @param kind the lock's kind
     * @param heldNanos from the grant to the release's reply
     */
    default void released(String lockName, String kind, long heldNanos) {
    }

    /**
     * The watchdog had a batch of leases renewed (one script call). Leases are holds and the
     * places of fair-lock waiters in their queue.
     *
     * @param renewed how many leases the server renewed
     * @param gone how many it no longer had (each hold among them is also reported by {@link #leaseLost})
     * @param roundTripNanos from sending the batch to its reply
     */
    default void renewed(int renewed, int gone, long roundTripNanos) {
    }

    /**
     * A batch of renewals failed (Redis unreachable, a timeout); the watchdog sends them again at
     * its next sweep, and a lease not renewed before it runs out is reported by {@link #leaseLost}.
     *
     * @param leases how many leases the batch carried
     * @param cause the failure
     */
    default void renewalFailed(int leases, Throwable cause) {
    }

    /**
     * A hold was lost (once per hold), as the {@link LeaseListener} is told.
     *
     * @param lockName the lock's name
     * @param kind the lock's kind
     * @param cause why, in a few categories; the {@link LockLostException}'s message says more
     */
    default void leaseLost(String lockName, String kind, LossCause cause) {
    }

    /**
     * A waiter of this client was handed the lock by a release (of any client), without asking
     * again: the fair lock's queue, and the release of every kind that grants its longest waiter.
     *
     * @param lockName the lock's name
     * @param kind the lock's kind
     */
    default void handOverReceived(String lockName, String kind) {
    }
}
