/**
 * Holdfast's FIFO fair lock ({@code Holdfast.getFairLock}): the reentrant module's queued lock
 * with the non-barging predicate. Exports nothing; found by core through
 * {@link java.util.ServiceLoader}.
 */
module io.holdfast.fair {
    requires io.holdfast.core;
    requires io.holdfast.reentrant;

    provides io.holdfast.spi.LockProvider with io.holdfast.fair.FairLockProvider;
}
