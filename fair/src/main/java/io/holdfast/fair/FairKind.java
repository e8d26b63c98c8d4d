package io.holdfast.fair;

import io.holdfast.spi.ClientContext;
import io.holdfast.reentrant.QueuedHashKind;

/**
 * The fair lock: first come, first served across every thread of every client. A free lock is
 * granted only if no live waiter is queued before the caller, so a {@code tryLock()} without wait
 * neither jumps nor joins the queue; a release hands the lock over to the head of the queue. The
 * queue, the hand-over and the eviction of dead waiters are {@link QueuedHashKind}'s.
 */
final class FairKind extends QueuedHashKind {

    FairKind(ClientContext ctx) {
        super(ctx, false);
    }

    @Override
    public String role() {
        return "fair";
    }
}
