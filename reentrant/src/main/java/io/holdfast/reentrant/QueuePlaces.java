package io.holdfast.reentrant;

import io.holdfast.spi.ClientContext;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LockKeys;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue places of one client's waiting acquisitions of a queued lock, each handed to the
 * watchdog while its acquisition waits.
 *
 * <p>Lifecycle of a place: created (and registered) by the first waiting attempt that replies
 * busy, refreshed by each later one that replies with the same placement; replaced when an attempt
 * replies with another placement (the server queued the waiter again: its waiter key had gone,
 * e.g. granted to it and run out); cancelled when an attempt is granted, when the acquisition gives
 * up ({@link QueuedHashKind#abandon}), when a hand-over of it arrives, or when the watchdog reports
 * it gone. Attempts of one acquisition run one at a time and replies come back in the order they
 * were sent, so a place is never resurrected by a stale reply; and a placement, once gone, never
 * comes back (the server picks a new one for every waiter key it creates).
 */
final class QueuePlaces {

    private static final Logger log = LoggerFactory.getLogger(QueuePlaces.class);

    private final ClientContext ctx;
    private final long leaseMillis;
    private final Map<HoldKey, QueuePlace> places = new ConcurrentHashMap<>();

    QueuePlaces(ClientContext ctx, long leaseMillis) {
        this.ctx = ctx;
        this.leaseMillis = leaseMillis;
    }

    /**
     * After a waiting attempt sent at {@code sentNanos}: if {@code placement} is not null, the
     * server has the waiter queued with it (its waiter key, set or confirmed then), so keep that
     * place alive from then on; otherwise it is not queued any more.
     */
    void afterAttempt(LockKeys keys, String holderId, String placement, long sentNanos) {
        HoldKey id = id(keys, holderId);
        if (placement == null) {
            cancel(places.remove(id));
            return;
        }
        QueuePlace known = places.get(id);
        if (known != null && known.placement().equals(placement)) {
            known.renewed(sentNanos);
            return;
        }
        QueuePlace fresh = new QueuePlace(this, id, keys, placement, leaseMillis, sentNanos);
        places.put(id, fresh);
        cancel(known);
        LeaseKeeper keeper = ctx.keeper();
        if (keeper != null) {
            keeper.register(fresh);
        }
    }

    /**
     * A release handed the lock over to placement {@code tag} ({@code "<acquisition>.<n>"}) of
     * this waiter: stop renewing its place (the server already took it out of the queue).
     *
     * @return the place as it was last confirmed alive, or null if the waiter has no place with
     *     that placement (nothing confirmed it, it was found gone, or the waiter queued again since)
     */
    QueuePlace handedOver(LockKeys keys, String holderId, String tag) {
        HoldKey id = id(keys, holderId);
        QueuePlace place = places.get(id);
        if (place == null || !place.tag().equals(tag) || !places.remove(id, place)) {
            return null;
        }
        cancel(place);
        return place;
    }

    /** The acquisition gives up: stop renewing its place (the caller then leaves the queue). */
    void leave(LockKeys keys, String holderId) {
        cancel(places.remove(id(keys, holderId)));
    }

    /** The watchdog found the place gone; it already stopped renewing it. */
    void gone(QueuePlace place, String reason) {
        if (places.remove(place.id(), place)) {
            // often a hand-over whose message is on its way (the grant deleted the waiter key): the
            // message, or the waiter's next attempt, completes the acquisition
            log.debug("lock '{}': waiter {} no longer has placement {} ({}); its next attempt asks the server",
                    place.lockName(), place.id().holderId(), place.placement(), reason);
        }
    }

    private void cancel(QueuePlace place) {
        LeaseKeeper keeper = ctx.keeper();
        if (place != null && keeper != null) {
            keeper.cancel(place);
        }
    }

    private static HoldKey id(LockKeys keys, String holderId) {
        return new HoldKey(keys.key(), "fair-waiter", holderId);
    }
}
