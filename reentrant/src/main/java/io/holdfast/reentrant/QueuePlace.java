package io.holdfast.reentrant;

import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import io.holdfast.spi.WaitMarker;
import io.holdfast.spi.WaitMarkers;
import java.util.List;

/**
 * One waiter's placement in a queued lock's queue, as the watchdog renews it:
 * {@code renew-places.lua} moves the waiter's deadline a waiter timeout ahead again while its entry
 * still holds this placement and is alive. Its identity is the placement, {@code "<lease>:<acquisition>.<n>"}, the
 * part of its waiter entry after the deadline (see queue.lua), which the server picks anew for every waiter entry it creates; its lifecycle is
 * {@link WaitMarkers}'.
 */
final class QueuePlace extends WaitMarker {

    private static final Script RENEW = Script.load(QueuePlace.class, "renew-places.lua");

    private final LockKeys keys;

    /** @param placement the waiter's value, {@code "<lease>:<acquisition>.<n>"} (see queue.lua) */
    QueuePlace(WaitMarkers<QueuePlace> owner, HoldKey id, LockKeys keys, String placement, long leaseMillis,
            long sentNanos) {
        super(owner, id, placement, leaseMillis, sentNanos);
        this.keys = keys;
    }

    /** The part a hand-over message names: {@code "<acquisition>.<n>"}. */
    String tag() {
        return tag(identity());
    }

    /** {@code "<acquisition>.<n>"} of a waiter's value {@code "<lease>:<acquisition>.<n>"}. */
    static String tag(String placement) {
        return placement.substring(placement.indexOf(':') + 1);
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }

    @Override
    public List<String> renewKeys() {
        return List.of(QueuedHashKind.waiters(keys), QueuedHashKind.queue(keys));
    }

    @Override
    public String renewArg() {
        return id().holderId() + "|" + identity();
    }

    @Override
    public String toString() {
        return "QueuePlace[" + keys.name() + " " + id().holderId() + " " + identity() + "]";
    }
}
