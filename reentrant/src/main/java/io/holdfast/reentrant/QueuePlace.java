package io.holdfast.reentrant;

import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import java.util.List;

/**
 * One waiter's placement in a queued lock's queue, as the watchdog renews it:
 * {@code renew-places.lua} makes the waiter key live the waiter timeout again while it still holds
 * this placement. Its validity is that of the placement: confirmed by attempts and renewals that
 * found this very placement, never by one that found a later one.
 */
final class QueuePlace extends LeasedItem {

    private static final Script RENEW = Script.load(QueuePlace.class, "renew-places.lua");

    private final QueuePlaces owner;
    private final HoldKey id;
    private final LockKeys keys;
    private final String placement;

    /** @param placement the waiter key's value, {@code "<lease>:<acquisition>.<n>"} (see queue.lua) */
    QueuePlace(QueuePlaces owner, HoldKey id, LockKeys keys, String placement, long leaseMillis, long sentNanos) {
        super(leaseMillis, validUntil(sentNanos, leaseMillis));
        this.owner = owner;
        this.id = id;
        this.keys = keys;
        this.placement = placement;
    }

    /** The waiter key's value: {@code "<lease>:<acquisition>.<n>"}. */
    String placement() {
        return placement;
    }

    /** The part a hand-over message names: {@code "<acquisition>.<n>"}. */
    String tag() {
        return tag(placement);
    }

    /** {@code "<acquisition>.<n>"} of a waiter key's value {@code "<lease>:<acquisition>.<n>"}. */
    static String tag(String placement) {
        return placement.substring(placement.indexOf(':') + 1);
    }

    HoldKey id() {
        return id;
    }

    String lockName() {
        return keys.name();
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }

    @Override
    public List<String> renewKeys() {
        return List.of(QueuedHashKind.waiterKey(keys, id.holderId()), QueuedHashKind.queue(keys));
    }

    @Override
    public String renewArg() {
        return id.holderId() + "|" + placement;
    }

    @Override
    public void gone(String reason) {
        owner.gone(this, reason);
    }

    @Override
    public String toString() {
        return "QueuePlace[" + keys.name() + " " + id.holderId() + "]";
    }
}
