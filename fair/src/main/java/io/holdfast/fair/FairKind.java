package io.holdfast.fair;

import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.AttemptResult.Outcome;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.HashLockKind;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import java.util.concurrent.CompletableFuture;

/**
 * The fair lock: the reentrant exclusive lock plus first come, first served order across every
 * thread of every client. It differs from the reentrant kind by one predicate, "is it my turn?",
 * and by the queue that answers it.
 *
 * <p>Algorithm. Beside the lock hash (holder id → count), in the same Cluster slot, lie a queue
 * LIST of waiting holder ids and a ZSET of their deadlines in server time (see {@code queue.lua}).
 * An attempt grants the lock only if it is free and the queue is empty or headed by the caller;
 * otherwise a caller that will wait joins the tail once (later attempts only push its deadline
 * to now + {@code fairWaiterTimeout}), and a {@code tryLock()} without wait neither jumps nor joins
 * the queue. A release at zero publishes {@code "=<head>"}, so only the head's waiter wakes.
 *
 * <p>Dead waiters. While an acquisition waits, its place is a {@link QueuePlace} the watchdog
 * renews every third of {@code fairWaiterTimeout}. A waiter whose deadline passed is evicted by
 * the next script run on the lock. Waiters behind the head park no longer than until the head's
 * deadline, so one of them looks again, evicts a dead head and, if the lock is free, wakes the
 * new head: a dead head blocks the queue for about {@code fairWaiterTimeout}, not longer.
 *
 * <p>Giving up ({@link #abandon}): the place is cancelled, then the waiter leaves the queue on the
 * server without disturbing the order of the others; if it was the head (or a late grant is
 * dropped) and the lock is free, the new head is woken.
 *
 * <p>Scripts, next to this class: {@code acquire.lua}, {@code release.lua}, {@code abandon.lua},
 * {@code force-unlock.lua}, {@code renew-places.lua}; they share {@code queue.lua} and core's
 * {@code hash-hold.lua} by inclusion (see {@link Script}).
 */
final class FairKind extends HashLockKind {

    private static final Script ACQUIRE = Script.load(FairKind.class, "acquire.lua");
    private static final Script RELEASE = Script.load(FairKind.class, "release.lua");
    private static final Script ABANDON = Script.load(FairKind.class, "abandon.lua");
    private static final Script FORCE_UNLOCK = Script.load(FairKind.class, "force-unlock.lua");

    private final QueuePlaces places;
    private final String waiterTimeout;

    FairKind(ClientContext ctx) {
        super(ctx);
        long timeout = ctx.options().fairWaiterTimeout().toMillis();
        this.places = new QueuePlaces(ctx, timeout);
        this.waiterTimeout = Long.toString(timeout);
    }

    @Override
    public String role() {
        return "fair";
    }

    @Override
    public boolean queued() {
        return true;
    }

    @Override
    public CompletableFuture<AttemptResult> attempt(AttemptRequest r) {
        String mode = r.reenter() ? "reenter" : r.willWait() ? "wait" : "try";
        long sent = System.nanoTime();
        CompletableFuture<AttemptResult> reply = evalAttempt(ACQUIRE, keys(r.keys()),
                r.holderId(), Long.toString(r.leaseMillis()), mode, waiterTimeout);
        if (!mode.equals("wait")) {
            return reply;
        }
        return reply.thenApply(result -> {
            places.afterAttempt(r.keys(), r.holderId(), result.outcome() == Outcome.BUSY, sent);
            return result;
        });
    }

    @Override
    public CompletableFuture<Long> release(LockKeys keys, String holderId) {
        return evalLong(RELEASE, keys(keys), holderId);
    }

    @Override
    public CompletableFuture<Void> abandon(LockKeys keys, String holderId) {
        places.leave(keys, holderId);
        return evalLong(ABANDON, keys(keys), holderId).thenApply(n -> null);
    }

    @Override
    public CompletableFuture<Boolean> forceUnlock(LockKeys keys) {
        return evalLong(FORCE_UNLOCK, keys(keys)).thenApply(n -> n == 1);
    }

    /** KEYS of every fair script but the renewal: lock hash, queue, deadlines, channel. */
    private static String[] keys(LockKeys keys) {
        return new String[] {keys.key(), queue(keys), deadlines(keys), keys.channel()};
    }

    /** The queue LIST of lock {@code keys}. */
    static String queue(LockKeys keys) {
        return keys.derived("queue");
    }

    /** The deadlines ZSET of lock {@code keys}. */
    static String deadlines(LockKeys keys) {
        return keys.derived("deadlines");
    }
}
