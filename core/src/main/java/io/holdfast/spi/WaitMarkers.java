package io.holdfast.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait markers of one client's waiting acquisitions of one kind (see {@link WaitMarker}), each
 * handed to the watchdog while its acquisition waits.
 *
 * <p>Lifecycle of a marker: created (and registered with the watchdog) by the first waiting
 * attempt whose reply says the server keeps one, refreshed by each later one that replies with the
 * same identity; replaced when an attempt replies with another identity (the server made a new
 * one, e.g. queued the waiter again after its waiter entry had gone); cancelled when an attempt
 * replies without one (granted, or no longer waiting), when the acquisition gives up
 * ({@link #leave}), when the kind takes it for a hand-over ({@link #take}), or when the watchdog
 * reports it gone. Attempts of one acquisition run one at a time and replies come back in the
 * order they were sent, so a marker is never resurrected by a stale reply; and an identity, once
 * gone, never comes back if the server picks a new one for every marker it creates.
 *
 * <p>Redis unreachable: nothing here talks to Redis; the watchdog's renewals fail, and a marker
 * not renewed before its deadline is reported gone.
 */
public final class WaitMarkers<M extends WaitMarker> {

    private static final Logger log = LoggerFactory.getLogger(WaitMarkers.class);

    private final ClientContext ctx;
    private final String waiterRole;
    private final Map<HoldKey, M> markers = new ConcurrentHashMap<>();

    /** Markers whose loss the waiter learns from its next attempt. */
    public WaitMarkers(ClientContext ctx) {
        this(ctx, null);
    }

    /**
     * Markers of waiters that may park long (see {@code ClientContext#waitMarkerGone}): a marker
     * found gone wakes its waiter, the acquisition of the same lock and holder in role
     * {@code waiterRole} (the kind's {@link LockKind#role()}).
     */
    public WaitMarkers(ClientContext ctx, String waiterRole) {
        this.ctx = ctx;
        this.waiterRole = waiterRole;
    }

    /**
     * After a waiting attempt of {@code id} sent at {@code sentNanos}: if {@code identity} is null,
     * the server keeps no marker for it any more; if it is the known marker's, that marker was
     * alive when the attempt was sent; otherwise the server has a new marker, made by
     * {@code fresh}, which replaces the known one.
     */
    public void afterAttempt(HoldKey id, String identity, long sentNanos, Supplier<M> fresh) {
        if (identity == null) {
            cancel(markers.remove(id));
            return;
        }
        M known = markers.get(id);
        if (known != null && known.identity().equals(identity)) {
            known.renewed(sentNanos);
            return;
        }
        M created = fresh.get();
        markers.put(id, created);
        cancel(known);
        LeaseKeeper keeper = ctx.keeper();
        if (keeper != null) {
            keeper.register(created);
        }
    }

    /**
     * Stops keeping the marker of {@code id} if it {@code matches} (e.g. a hand-over names it).
     *
     * @return the marker as it was last confirmed alive, or null if {@code id} has none that matches
     */
    public M take(HoldKey id, Predicate<M> matches) {
        M marker = markers.get(id);
        if (marker == null || !matches.test(marker) || !markers.remove(id, marker)) {
            return null;
        }
        cancel(marker);
        return marker;
    }

    /** The acquisition gives up: stop keeping its marker (the kind then removes it on the server). */
    public void leave(HoldKey id) {
        cancel(markers.remove(id));
    }

    /** The watchdog found {@code marker} gone; it already stopped renewing it. */
    void gone(WaitMarker marker, String reason) {
        if (markers.remove(marker.id(), marker)) {
            // often a hand-over or a grant whose reply is on its way (it deleted the marker): the
            // message, or the attempt this wakes, completes the acquisition; or a hand-over whose
            // message was lost, which the attempt finds
            log.debug("{} is gone ({}); the waiter asks the server now", marker, reason);
            if (waiterRole != null) {
                ctx.waitMarkerGone(new HoldKey(marker.id().lockKey(), waiterRole, marker.id().holderId()));
            }
        }
    }

    private void cancel(M marker) {
        LeaseKeeper keeper = ctx.keeper();
        if (marker != null && keeper != null) {
            keeper.cancel(marker);
        }
    }
}
