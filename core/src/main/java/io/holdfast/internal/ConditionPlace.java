package io.holdfast.internal;

import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.Script;
import java.util.List;

/**
 * One waiter's entry in a distributed condition, as the watchdog keeps it alive while the waiter
 * waits: {@code condition-renew.lua} moves its deadline a waiter timeout ahead again while the entry
 * is there and alive. When a renewal finds it gone (signalled, or dead), the waiter is woken: it
 * asks the server and finds its signal, so a signal whose message was lost costs at most about half
 * a waiter timeout.
 */
final class ConditionPlace extends LeasedItem {

    private static final Script RENEW = Script.load(ConditionPlace.class, "condition-renew.lua");

    private final String queue;
    private final String deadlines;
    private final String waiterId;
    private final Waiter waiter;

    /**
     * @param sentNanos when the registration was sent
     */
    ConditionPlace(String queue, String deadlines, String waiterId, Waiter waiter, long leaseMillis, long sentNanos) {
        super(leaseMillis, validUntil(sentNanos, leaseMillis));
        this.queue = queue;
        this.deadlines = deadlines;
        this.waiterId = waiterId;
        this.waiter = waiter;
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }

    @Override
    public List<String> renewKeys() {
        return List.of(queue, deadlines);
    }

    @Override
    public String renewArg() {
        return waiterId;
    }

    /** Signalled, or dead: the waiter looks. */
    @Override
    public void gone(String reason) {
        waiter.wake();
    }

    @Override
    public String toString() {
        return "ConditionPlace[" + queue + " " + waiterId + "]";
    }
}
