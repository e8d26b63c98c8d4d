package io.holdfast.spi;

/**
 * The lease bookkeeping every {@link Renewable} shares: a lease length, and the instant until which
 * the server surely keeps the item, which only ever moves forward (a renewal sent at {@code t}
 * makes it valid until {@link #validUntil(long, long) validUntil(t, lease)}).
 */
public abstract class LeasedItem implements Renewable {

    /**
     * What the client takes off every lease it believes, in ms: Redis keeps expiry times in whole
     * milliseconds, and may stamp a command with the time its event loop woke up, read before a
     * pipelined command's bytes arrived; both make the server's deadline up to about a millisecond
     * earlier than "sent + lease" on the client's clock. The chaos harness measured such overlaps
     * of 0.1 and 0.2 ms at the boundary before this margin existed.
     */
    public static final long SERVER_TIME_MARGIN_MILLIS = 2;

    /**
     * The share of a lease the client also takes off for clock-rate drift between the client's
     * monotonic clock and the server's clock (NTP slews a clock by at most 0.05%): one thousandth.
     */
    public static final long DRIFT_DIVISOR = 1000;

    /**
     * The instant (on the client's {@link ClientContext#ticker() ticker}) until which the server
     * surely keeps an item whose lease of {@code leaseMillis} was set by a command sent at
     * {@code sentNanos}: the lease, less
     * {@link #SERVER_TIME_MARGIN_MILLIS} and a thousandth of the lease for drift. The one place
     * this is computed.
     */
    public static long validUntil(long sentNanos, long leaseMillis) {
        long believed = leaseMillis - SERVER_TIME_MARGIN_MILLIS - leaseMillis / DRIFT_DIVISOR;
        return sentNanos + Math.max(0, believed) * 1_000_000L;
    }

    private final long leaseMillis;
    private volatile long validUntilNanos;

    /** @param validUntilNanos the instant on the client's ticker until which the server surely keeps it */
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
        extendTo(validUntil(sentNanos, leaseMillis));
    }

    /** Moves the validity to {@code until} if that is later; never back. */
    protected final synchronized void extendTo(long until) {
        if (until - validUntilNanos > 0) {
            validUntilNanos = until;
        }
    }
}
