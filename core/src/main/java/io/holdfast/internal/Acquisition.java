package io.holdfast.internal;

import io.holdfast.HoldfastObserver;
import io.holdfast.spi.AttemptMode;
import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.ReplicationException;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fresh acquisition in progress: the wait loop of {@link AcquisitionEngine}.
 *
 * <p>Attempts run one at a time: the next one starts only from the reply of the previous one, a
 * wake-up or a timeout, and the {@link Waiter} lets only one of those through. So the fields
 * below are only touched by whichever thread runs the current step.
 *
 * <p>Cancellation (interrupt, or a blocking caller giving up): {@link #cancel()} sets a flag and
 * wakes the waiter; the next step sees the flag, leaves the queue or channel, and, if the server
 * granted the lock in the meantime, gives it back before the result completes. A hold is only
 * registered (and renewed) if the acquisition was not cancelled.
 */
final class Acquisition {

    /** Longest single park, so that a waiter re-checks even if every wake-up were lost. */
    static final long MAX_PARK_MILLIS = 5_000;

    /**
     * Backstop of a quiet park: a waiter whose place the server keeps in the queue, while another
     * waiter of its client polls the lock (see {@link Waiter}). Its wake-ups are the messages, its
     * place's renewal finding the place gone, and the poller leaving; this is only a backstop, and
     * it acts only if no waiter of the client looked at the lock in the last {@link #POLLED_WITHIN_NANOS}.
     */
    static final long QUIET_PARK_MILLIS = 30_000;

    /**
     * The client's polling of a lock counts as going on while one of its waiters looked at the lock
     * this recently: twice the longest timed park, the most a poller waits between two looks.
     */
    static final long POLLED_WITHIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2 * MAX_PARK_MILLIS);

    private static final AtomicLong IDS = new AtomicLong();

    /**
     * A hand-over whose hold is surely valid for less than this is confirmed with an attempt
     * (which grants the full lease) rather than trusted: the watchdog might not renew it in time.
     */
    static final long HANDOVER_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Client ctx;
    private final LockKind kind;
    private final LockKeys keys;
    private final HoldKey holdId;
    private final Thread ownerThread;
    /** The lease the server is asked for: the explicit one, or the watchdog's ({@link Client#leaseMillis}). */
    private final long leaseMillis;
    /** The watchdog renews the hold (no explicit lease was asked for). */
    private final boolean renewed;
    private final boolean noWait;
    /** When the wait ends, on the ticker; meaningless if {@link #unbounded}. */
    private final long deadline;
    /** Waits without a time limit (never compare {@link #deadline}: ticker readings may be negative). */
    private final boolean unbounded;
    private final long id = IDS.incrementAndGet();
    private final Waiter waiter;
    private final CompletableFuture<Hold> result = new CompletableFuture<>();
    private volatile boolean cancelled;
    private boolean subscribed;
    /** The latest memo a BUSY reply carried (see {@link AttemptResult#memo()}), null before. */
    private String memo;
    private boolean attempted;
    /** When {@link #start()} ran, on the client's ticker; its outcome is reported once (see {@link #report}). */
    private long startedNanos;
    private final AtomicBoolean reported = new AtomicBoolean(true);

    Acquisition(Client ctx, LockKind kind, LockKeys keys, HoldKey holdId, Thread ownerThread, long leaseMillis,
            long waitNanos) {
        this.ownerThread = ownerThread;
        this.ctx = ctx;
        this.kind = kind;
        this.keys = keys;
        this.holdId = holdId;
        this.leaseMillis = ctx.leaseMillis(leaseMillis);
        this.renewed = leaseMillis <= 0;
        this.noWait = waitNanos == 0;
        this.unbounded = waitNanos < 0;
        this.deadline = unbounded ? 0 : ctx.ticker().nanoTime() + waitNanos;
        this.waiter = new Waiter(holdId.holderId(), id, this::handedOver);
    }

    /** Completes with the hold, with {@code null} if the wait time elapsed, or with the failure. */
    public CompletableFuture<Hold> result() {
        return result;
    }

    /**
     * Stops this acquisition. The returned future completes when nothing it took is held any
     * more: if the result had already completed with a hold, that hold's level is released.
     */
    public CompletableFuture<Void> cancel() {
        cancelled = true;
        waiter.wake();
        return result.handle((hold, e) -> hold).thenCompose(hold -> hold == null
                ? CompletableFuture.<Void>completedFuture(null)
                : ctx.engine().giveBack(hold));
    }

    /**
     * The first step, once any undo of this owner's earlier acquisition of this lock is done (see
     * {@link Undos}). If the client is already subscribed to the lock's channel (other local
     * waiters), this waiter is counted in before its first attempt, so a failed attempt parks at
     * once: no SUBSCRIBE, no second attempt.
     */
    void start() {
        startedNanos = ctx.ticker().nanoTime();
        reported.set(false);
        ctx.observer().acquisitionStarted(keys.name(), kind.role());
        ctx.undos().settled(keys, holdId.holderId()).whenComplete((v, e) -> {
            if (e == null) {
                firstAttempt();
            } else {
                finish(null, Errors.translate(e, "acquiring lock '" + keys.name() + "' (an earlier acquisition of this"
                        + " owner whose reply was lost is not undone yet)", keys, ctx.redis().endpoint()));
            }
        });
    }

    private void firstAttempt() {
        if (!noWait && ctx.hub().joinIfSubscribed(keys.channel(), waiter) >= 0) {
            subscribed = true;
        }
        attempt();
    }

    /** The client is closing: fail at once; any later step sees the flag and only cleans up. */
    void clientClosed() {
        cancelled = true;
        ctx.acquiring().remove(holdId, this);
        report(null, closedError());
        result.completeExceptionally(closedError());
        waiter.wake();
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("the Holdfast client was closed while acquiring lock '" + keys.name() + "'");
    }

    private void attempt() {
        if (ctx.isClosed()) {
            giveUp(closedError());
            return;
        }
        if (cancelled) {
            giveUp(new CancellationException("acquisition of lock '" + keys.name() + "' was cancelled"));
            return;
        }
        long sent = ctx.ticker().nanoTime();
        AttemptRequest request = new AttemptRequest(keys, holdId.holderId(), AttemptMode.fresh(!noWait, !attempted),
                leaseMillis, memo, id, 0);
        attempted = true;
        kind.attempt(request).whenComplete((r, e) -> {
            if (e != null) {
                failed(e);
            } else {
                onReply(r, LeasedItem.validUntil(sent, leaseMillis));
            }
        });
    }

    /**
     * A parked waiter learnt that the server handed the lock over to it (a release granted it):
     * no attempt is needed, unless the kind cannot tell how long the hold surely lasts (or it
     * lasts too little for the watchdog to be sure to renew it, or the server's lease is shorter
     * than this acquisition asked for), or this acquisition is being cancelled. The attempt then
     * finds the hold granted and grants it again in full (or, cancelled, gives it back).
     */
    private void handedOver(long token) {
        ctx.observer().handOverReceived(keys.name(), kind.role());
        if (cancelled || ctx.isClosed()) {
            attempt();
            return;
        }
        OptionalLong validUntil = kind.handedOverValidUntil(keys, holdId.holderId(), waiter.placement(), leaseMillis, renewed);
        if (validUntil.isEmpty() || validUntil.getAsLong() - ctx.ticker().nanoTime() < HANDOVER_MARGIN_NANOS) {
            attempt();
            return;
        }
        acquired(token, validUntil.getAsLong());
    }

    /** @param validUntil until when the server surely keeps a hold this reply granted */
    private void onReply(AttemptResult r, long validUntil) {
        switch (r.outcome()) {
            case ACQUIRED -> acquired(r.value(), validUntil);
            case BUSY -> {
                if (r.memo() != null) {
                    memo = r.memo();
                }
                if (r.placement() != null) {
                    waiter.placement(r.placement());
                }
                busy(r.value());
            }
            case REFUSED -> finish(null, new io.holdfast.LockUpgradeException(keys.name(), r.reason()));
            default -> failed(new IllegalStateException("unexpected reply to a fresh acquisition: " + r));
        }
    }

    private void acquired(long token, long validUntil) {
        ReplicaCheck.after(ctx, keys).whenComplete((v, e) -> {
            if (e == null) {
                keep(token, validUntil);
            } else if (Errors.unwrap(e) instanceof ReplicationException refused) {
                undo().whenComplete((x, y) -> finish(null, refused));
            } else {
                failed(e);
            }
        });
    }

    private void keep(long token, long validUntil) {
        if (cancelled) {
            undo().whenComplete((v, e) -> finish(null,
                    new CancellationException("acquisition of lock '" + keys.name() + "' was cancelled")));
            return;
        }
        finish(ctx.engine().granted(this, token, validUntil), null);
    }

    private void busy(long retryAfterMillis) {
        if (noWait) {
            finish(null, null);
            return;
        }
        if (!subscribed) {
            subscribed = true;
            CompletableFuture<Void> joined;
            try {
                joined = ctx.hub().join(keys.channel(), waiter);
            } catch (RuntimeException e) {
                failed(e);
                return;
            }
            joined.whenComplete((v, e) -> {
                if (e != null) {
                    failed(e);
                } else {
                    attempt();
                }
            });
            return;
        }
        long remainingNanos = unbounded ? Long.MAX_VALUE : deadline - ctx.ticker().nanoTime();
        if (remainingNanos <= 0) {
            giveUp(null);
            return;
        }
        long park = Math.min(TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1, MAX_PARK_MILLIS);
        if (retryAfterMillis >= 0) {
            park = Math.min(park, retryAfterMillis + 1);
        }
        if (waiter.placement() == null || retryAfterMillis == 0) {
            // not queued on the server (nothing hands the lock over to it), or asked to look again at once
            waiter.park(park, ctx.timer(), this::attempt);
            return;
        }
        String channel = keys.channel();
        ctx.hub().looked(channel);
        ctx.hub().enlist(channel, waiter);
        long quiet = unbounded ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1;
        waiter.park(park, quiet, QUIET_PARK_MILLIS, () -> ctx.hub().lookedWithin(channel, POLLED_WITHIN_NANOS),
                ctx.timer(), this::attempt);
    }

    /**
     * The watchdog found this acquisition's wait marker (its place in the queue) gone: granted by a
     * hand-over whose message may be lost, or dropped; an attempt asks the server now rather than at
     * the end of a quiet park.
     */
    void markerGone() {
        waiter.wake();
    }

    /** Waited in vain (or cancelled): leave the queue, if the kind has one, then finish. */
    private void giveUp(RuntimeException failure) {
        if (!kind.queued()) {
            finish(null, failure);
            return;
        }
        undo().whenComplete((v, e) -> finish(null, failure));
    }

    /**
     * A command failed. Its reply may be what was lost, so undo whatever it may have done: the
     * undo goes out on the same connection after it, so it runs after it whenever it runs. The
     * caller is not kept waiting for the undo (Redis may be down); it is retried until it succeeds,
     * and this owner's next acquisition of this lock waits for it ({@link Undos}).
     */
    private void failed(Throwable e) {
        RuntimeException failure = Errors.translate(e, "acquiring lock '" + keys.name() + "'", keys, ctx.redis().endpoint());
        undo();
        finish(null, failure);
        if (subscribed && waiter.placement() != null) {
            // the client's other waiters of this lock may park quietly on this one's polling (see
            // Waiter): they look at the server now, as they each would on their own timer
            ctx.hub().deliverLocally(keys.channel(), WakeMessage.ALL);
        }
    }

    /**
     * Gives back whatever this acquisition may hold or occupy on the server (a hold, a queue
     * place, a writer intent), retried until done; completes with the first try.
     */
    private CompletableFuture<Void> undo() {
        long lifetime = Math.max(leaseMillis, ctx.options().fairWaiterTimeout().toMillis());
        return ctx.undos().undo(kind, keys, holdId.holderId(), lifetime);
    }

    private void finish(Hold hold, RuntimeException failure) {
        boolean pendingWake = waiter.done();
        ctx.acquiring().remove(holdId, this);
        if (subscribed) {
            ctx.hub().leave(keys.channel(), waiter);
            if (hold == null && (pendingWake || cancelled)) {
                // the wake-up this waiter took is not used: hand it to the next local waiter. A
                // cancelled waiter may have taken one without knowing (woken, then saw the flag), so
                // it always passes one on: a spare wake-up costs one attempt, a lost one a wait
                ctx.hub().wakeOne(keys.channel());
            }
        }
        report(hold, failure); // before the caller learns it, so that it comes before a release's report
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(hold);
        }
    }

    /** Tells the observer how a started acquisition ended, once. */
    private void report(Hold hold, RuntimeException failure) {
        if (reported.compareAndSet(false, true)) {
            HoldfastObserver.Outcome outcome = hold != null ? HoldfastObserver.Outcome.ACQUIRED
                    : failure == null ? HoldfastObserver.Outcome.TIMED_OUT
                    : failure instanceof CancellationException ? HoldfastObserver.Outcome.INTERRUPTED
                    : HoldfastObserver.Outcome.FAILED;
            ctx.observer().acquisitionFinished(keys.name(), kind.role(), outcome, ctx.ticker().nanoTime() - startedNanos);
        }
    }

    LockKind kind() {
        return kind;
    }

    LockKeys keys() {
        return keys;
    }

    HoldKey holdId() {
        return holdId;
    }

    /** The hold's lease: the explicit one, or the watchdog's. */
    long leaseMillis() {
        return leaseMillis;
    }

    boolean renewed() {
        return renewed;
    }

    Thread ownerThread() {
        return ownerThread;
    }
}
