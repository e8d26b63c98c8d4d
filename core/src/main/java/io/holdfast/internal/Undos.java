package io.holdfast.internal;

import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Undoing what an acquisition whose outcome is unknown may have done on the server.
 *
 * <p>An attempt whose reply never came (command timeout, connection lost) may have been granted:
 * the server may keep a hold, a queue place or a writer intent the client knows nothing of. The
 * acquisition then asks its kind to {@link LockKind#abandon abandon} them. That undo can fail too
 * (the server is still unreachable), and it must not be overtaken: were the same owner's next
 * acquisition of the same lock to run before it, it would find that owner's forgotten hold (a
 * write lock is then refused as an upgrade of a read lock nobody holds).
 *
 * <p>So an undo is kept here until it succeeded: a failed try is retried with back-off, for as
 * long as what it undoes can live on the server (the lease, then the server drops it by itself),
 * and a new acquisition of the same owner on the same lock first {@link #settled waits} for it.
 */
final class Undos {

    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 1_000;

    private record Key(String lockKey, String holderId) {
    }

    /** Already complete; only ever read by the callers of {@link #settled}. */
    private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

    private final Client ctx;
    private final Map<Key, Undo> pending = new ConcurrentHashMap<>();

    Undos(Client ctx) {
        this.ctx = ctx;
    }

    /**
     * Undoes what {@code holderId}'s acquisition of this lock may have done, until it is undone.
     *
     * @param leaseMillis the lease the acquisition asked for: after that long, whatever it was
     *     granted has expired on the server and the undo stops retrying
     * @return the outcome of the first try
     */
    CompletableFuture<Void> undo(LockKind kind, LockKeys keys, String holderId, long leaseMillis) {
        Key key = new Key(keys.key(), holderId);
        Undo undo = new Undo(key, kind, keys, ctx.ticker().nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis));
        pending.put(key, undo);
        return undo.tryNow();
    }

    /**
     * Completes when a new acquisition of {@code holderId} on this lock may start: at once if no
     * undo of it is pending; otherwise after one more try of that undo, exceptionally if it failed
     * (the server is still unreachable: the new acquisition fails rather than overtaking it).
     */
    CompletableFuture<Void> settled(LockKeys keys, String holderId) {
        if (pending.isEmpty()) {
            return NONE; // the common case: nothing to look up, nothing to allocate
        }
        Undo undo = pending.get(new Key(keys.key(), holderId));
        return undo == null ? NONE : undo.current();
    }

    /** Whether an undo is still pending (tests). */
    boolean isPending(LockKeys keys, String holderId) {
        return pending.containsKey(new Key(keys.key(), holderId));
    }

    private final class Undo {
        private final Key key;
        private final LockKind kind;
        private final LockKeys keys;
        private final long giveUpAtNanos;
        private CompletableFuture<Void> current;
        private long nextRetryMillis = FIRST_RETRY_MILLIS;

        Undo(Key key, LockKind kind, LockKeys keys, long giveUpAtNanos) {
            this.key = key;
            this.kind = kind;
            this.keys = keys;
            this.giveUpAtNanos = giveUpAtNanos;
        }

        /** The try in flight, or a new one if the last one failed. */
        synchronized CompletableFuture<Void> current() {
            return current != null && !current.isCompletedExceptionally() ? current : tryNow();
        }

        synchronized CompletableFuture<Void> tryNow() {
            CompletableFuture<Void> attempt = abandon();
            current = attempt;
            attempt.whenComplete((v, e) -> {
                if (e != null && kind.queued()) {
                    // the abandon may have run and handed the lock to a waiter of this client, whose
                    // only news of it was the lost reply: the client's waiters of the lock look now
                    ctx.hub().deliverLocally(keys.channel(), WakeMessage.ALL);
                }
                if (e == null || ctx.isClosed() || ctx.ticker().nanoTime() - giveUpAtNanos > 0) {
                    pending.remove(key, this);
                } else {
                    retryLater(attempt);
                }
            });
            return attempt;
        }

        private CompletableFuture<Void> abandon() {
            try {
                return ctx.engine().applied(keys, kind.abandon(keys, key.holderId())).thenApply(e -> null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private synchronized void retryLater(CompletableFuture<Void> failed) {
            long delay = nextRetryMillis;
            nextRetryMillis = Math.min(MAX_RETRY_MILLIS, nextRetryMillis * 2);
            ctx.timer().newTimeout(t -> {
                synchronized (this) {
                    if (current == failed && pending.get(key) == this) {
                        tryNow(); // not already retried by a new acquisition that waited for it
                    }
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }
}
