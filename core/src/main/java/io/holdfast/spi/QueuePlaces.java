package io.holdfast.spi;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue places of one client's waiting fair acquisitions, each handed to the watchdog while
 * its acquisition waits.
 *
 * <p>Lifecycle of a place: created (and registered) by the first waiting attempt that replies
 * busy, refreshed by each later one; cancelled when an attempt is granted, when the acquisition
 * gives up ({@link QueuedHashKind#abandon}), or when the watchdog reports it gone (the server evicted the
 * waiter: its next attempt queues again, at the tail). Attempts of one acquisition run one at a
 * time and replies come back in the order they were sent, so a place is never resurrected by a
 * stale reply.
 */
final class QueuePlaces {

    private static final Logger log = LoggerFactory.getLogger(QueuePlaces.class);

    private final ClientContext ctx;
    private final long leaseMillis;
    private final Map<HoldKey, QueuePlace> places = new ConcurrentHashMap<>();
    /** Waiters whose place was lost during their current acquisition (see {@link #handedOver}). */
    private final Set<HoldKey> lost = ConcurrentHashMap.newKeySet();

    QueuePlaces(ClientContext ctx, long leaseMillis) {
        this.ctx = ctx;
        this.leaseMillis = leaseMillis;
    }

    /**
     * After a waiting attempt sent at {@code sentNanos}: if {@code queued}, the server set the
     * waiter's deadline then, so keep its place alive from there; otherwise it left the queue.
     */
    void afterAttempt(LockKeys keys, String holderId, boolean queued, long sentNanos) {
        HoldKey id = id(keys, holderId);
        if (!queued) {
            lost.remove(id);
            cancel(places.remove(id));
            return;
        }
        QueuePlace fresh = new QueuePlace(this, id, keys, leaseMillis, sentNanos);
        QueuePlace known = places.putIfAbsent(id, fresh);
        if (known != null) {
            known.renewed(sentNanos);
            return;
        }
        LeaseKeeper keeper = ctx.keeper();
        if (keeper != null) {
            keeper.register(fresh);
        }
    }

    /**
     * A release handed the lock over to this waiter: stop renewing its place (the server already
     * took it out of the queue).
     *
     * @return the place as it was last confirmed, or null if there was none (nothing confirmed
     *     it), or if the place was lost during this acquisition: the message may then be a late one
     *     for a grant that expired before the waiter queued again, which the last confirmation
     *     does not bound
     */
    QueuePlace handedOver(LockKeys keys, String holderId) {
        HoldKey id = id(keys, holderId);
        QueuePlace place = places.remove(id);
        cancel(place);
        return lost.remove(id) ? null : place;
    }

    /** The acquisition gives up: stop renewing its place (the caller then leaves the queue). */
    void leave(LockKeys keys, String holderId) {
        HoldKey id = id(keys, holderId);
        lost.remove(id);
        cancel(places.remove(id));
    }

    /** The watchdog found the place gone; it already stopped renewing it. */
    void gone(QueuePlace place, String reason) {
        if (places.remove(place.id(), place)) {
            lost.add(place.id());
            // rarely a false alarm: a renewal that ran just after a hand-over deleted the waiter
            // key, its reply overtaking the hand-over message; the acquisition then completes anyway
            log.warn("lock '{}': waiter {} lost its place in the queue ({}); its next attempt queues it again",
                    place.lockName(), place.renewArg(), reason);
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
