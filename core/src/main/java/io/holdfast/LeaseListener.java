package io.holdfast;

/**
 * Told when a hold is lost. Called once per lost hold, on Holdfast's event thread (never on a
 * Netty I/O thread); keep it short.
 */
@FunctionalInterface
public interface LeaseListener {

    void leaseLost(Lease lease, LockLostException cause);
}
