package io.holdfast.internal;

/**
 * What a release publishes on a lock's channel, and so who wakes in each process that receives it.
 * Scripts publish these exact strings.
 */
final class WakeMessage {

    /** Wake one local waiter (e.g. a hand-over that found only dead waiters so far: one attempt per process goes on). */
    public static final String ONE = "1";
    /** Wake every local waiter (e.g. readers after a write release). */
    public static final String ALL = "*";
    /**
     * Prefix of "wake the waiter of this holder id only": {@code "=<holder id>"} (a read-write release
     * that frees the lock wakes only the first waiting writer).
     */
    public static final String HOLDER_PREFIX = "=";
    /**
     * Prefix of "the lock was handed over to this holder":
     * {@code "!<fencing token>|<acquisition id>.<placement>|<holder id>"}. The release that publishes
     * it already granted the lock to that placement (see the reentrant module's {@code queue.lua}) of that
     * acquisition of that holder.
     */
    public static final String HANDED_OVER_PREFIX = "!";

    private WakeMessage() {
    }
}
