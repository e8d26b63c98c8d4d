package io.holdfast;

/**
 * Told when a hold is lost. Called once per lost hold, on Holdfast's event thread (never on a
 * Netty I/O thread); keep it short.
 */
@FunctionalInterface
public interface LeaseListener {

    /**
     * Called once when {@code lease} is lost.
     *
     * @param lease the hold that was lost (its state is no longer active)
     * @param cause why it was lost, the exception {@code unlock()} will throw
     */
    void leaseLost(Lease lease, LockLostException cause);
}
