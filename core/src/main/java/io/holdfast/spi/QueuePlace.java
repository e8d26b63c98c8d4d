package io.holdfast.spi;

import java.util.List;

/**
 * One waiter's place in a fair lock's queue, as the watchdog renews it: {@code renew-places.lua}
 * makes the waiter key live the waiter timeout again while it is there.
 */
final class QueuePlace extends LeasedItem {

    private static final Script RENEW = Script.load(QueuePlace.class, "queued/renew-places.lua");

    private final QueuePlaces owner;
    private final HoldKey id;
    private final LockKeys keys;

    QueuePlace(QueuePlaces owner, HoldKey id, LockKeys keys, long leaseMillis, long sentNanos) {
        super(leaseMillis, sentNanos + leaseMillis * 1_000_000L);
        this.owner = owner;
        this.id = id;
        this.keys = keys;
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
        return id.holderId();
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
