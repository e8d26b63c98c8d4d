package io.holdfast.spi;

/**
 * Server-side state that a waiting acquisition keeps alive while it waits, as the watchdog renews
 * it: a queued lock's place in its queue, a waiting writer's intent. Its lifecycle is the same for
 * every kind and kept by {@link WaitMarkers}; a kind gives only the renewal script, its keys and
 * what tells one marker of a waiter from a later one ({@link #identity()}).
 *
 * <p>Its validity is that of this very marker: confirmed by attempts and renewals that found it,
 * never by ones that found a later one.
 */
public abstract class WaitMarker extends LeasedItem {

    private final WaitMarkers<?> owner;
    private final HoldKey id;
    private final String identity;

    /**
     * @param owner the markers of the kind this one belongs to
     * @param id the waiting acquisition's holder, lock and role (one marker per id at a time)
     * @param identity what the server says this marker is, e.g. a queue placement
     * @param leaseMillis how long the server keeps the marker unless renewed
     * @param sentNanos when the attempt that created (or found) it on the server was sent
     */
    protected WaitMarker(WaitMarkers<?> owner, HoldKey id, String identity, long leaseMillis, long sentNanos) {
        super(leaseMillis, validUntil(sentNanos, leaseMillis));
        this.owner = owner;
        this.id = id;
        this.identity = identity;
    }

    /** The waiting acquisition's holder, lock and role. */
    public final HoldKey id() {
        return id;
    }

    /** What tells this marker from a later one of the same waiter: equal identities are one marker. */
    public final String identity() {
        return identity;
    }

    /** The watchdog found the marker gone: its owner forgets it (the waiter's next attempt asks the server). */
    @Override
    public final void gone(String reason) {
        owner.gone(this, reason);
    }
}
