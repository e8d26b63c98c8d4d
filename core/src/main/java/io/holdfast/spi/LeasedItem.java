package io.holdfast.spi;

/**
 * The lease bookkeeping every {@link Renewable} shares: a lease length, and the instant until which
 * the server surely keeps the item, which only ever moves forward (a renewal sent at {@code t}
 * makes it valid until {@code t} + the lease).
 */
public abstract class LeasedItem implements Renewable {

    private final long leaseMillis;
    private volatile long validUntilNanos;

    /** @param validUntilNanos the {@link System#nanoTime()} instant until which the server surely keeps it */
    protected LeasedItem(long leaseMillis, long validUntilNanos) {
        this.leaseMillis = leaseMillis;
        this.validUntilNanos = validUntilNanos;
    }

    @Override
    public final long leaseMillis() {
        return leaseMillis;
    }

    @Override
    public final long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public final void renewed(long sentNanos) {
        extendTo(sentNanos + leaseMillis * 1_000_000L);
    }

    /** Moves the validity to {@code until} if that is later; never back. */
    protected final synchronized void extendTo(long until) {
        if (until - validUntilNanos > 0) {
            validUntilNanos = until;
        }
    }
}
