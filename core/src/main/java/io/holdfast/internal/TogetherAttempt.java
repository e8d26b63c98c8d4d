package io.holdfast.internal;

import io.holdfast.HoldfastObserver;
import io.holdfast.LockUpgradeException;
import io.holdfast.ReplicationException;
import io.holdfast.spi.AllOrNone;
import io.holdfast.spi.AttemptMode;
import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zero-wait attempts on several locks of one kind in one slot, all or none, in one script call
 * ({@link LockKind#tryAll}): how the multi-lock takes the members one call can take. Each lock is
 * taken by its own holder as a fresh acquisition without wait would take it:
 * <ul>
 *   <li>the holder must neither hold nor be acquiring the lock (it is registered as acquiring
 *       while the call runs, so a second acquisition of it is refused, and {@code close()} fails it);</li>
 *   <li>the call waits for any pending undo of an earlier acquisition of the holder ({@link Undos});</li>
 *   <li>a grant passes the replica acknowledgement step ({@link ReplicaCheck}: one {@code WAIT} for the
 *       whole call, which wrote every hold on one connection), then each hold is registered, and
 *       renewed, exactly as one taken alone;</li>
 *   <li>a failed call may have run: every lock is undone, as one attempt's would be ({@link Undos});
 *       so is a grant that arrives after the caller cancelled, or after the client closed.</li>
 * </ul>
 */
final class TogetherAttempt {

    /**
     * What the call found.
     *
     * @param holds every lock taken: the holds, in order; empty otherwise
     * @param notTaken the index of the first lock found busy (nothing is then held), -1 if all were taken
     */
    record Result(List<Hold> holds, int notTaken) {
    }

    private final Client ctx;
    private final LockKind kind;
    private final List<Acquisition> parts = new ArrayList<>();
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    /** Set by the one {@link #finish} that ends the call (a close can race the reply). */
    private final AtomicBoolean finished = new AtomicBoolean();
    private boolean started;
    private long startedNanos;

    private TogetherAttempt(Client ctx, LockKind kind) {
        this.ctx = ctx;
        this.kind = kind;
    }

    /**
     * Starts the call; cancelling the returned future gives back whatever it takes.
     *
     * @param leaseMillis {@code > 0} an explicit lease, {@code -1} watchdog-renewed holds
     */
    static CompletableFuture<Result> start(Client ctx, LockKind kind, List<LockKeys> keys, List<String> holderIds,
            long leaseMillis) {
        TogetherAttempt t = new TogetherAttempt(ctx, kind);
        t.begin(keys, holderIds, leaseMillis);
        return t.result;
    }

    private void begin(List<LockKeys> keys, List<String> holderIds, long leaseMillis) {
        ctx.checkOpen();
        for (int i = 0; i < keys.size(); i++) {
            HoldKey id = new HoldKey(keys.get(i).key(), kind.role(), holderIds.get(i));
            Acquisition a = new Acquisition(ctx, kind, keys.get(i), id, null, leaseMillis, 0);
            if (ctx.holds().containsKey(id) || ctx.acquiring().putIfAbsent(id, a) != null) {
                leaveAcquiring();
                result.completeExceptionally(new IllegalStateException("cannot acquire lock '" + keys.get(i).name()
                        + "': holder " + holderIds.get(i) + " is already acquiring it or holds it"));
                return;
            }
            parts.add(a);
        }
        // close() fails the parts in `acquiring` (Acquisition#clientClosed): the call fails at once
        // with them, and a grant that comes in later is undone (see keep)
        parts.get(0).result().whenComplete((h, e) -> {
            if (e != null) {
                finish(null, closedError());
            }
        });
        if (ctx.isClosed()) {
            finish(null, closedError()); // close() went through `acquiring` before these were in it
            return;
        }
        started = true;
        startedNanos = ctx.ticker().nanoTime();
        parts.forEach(a -> ctx.observer().acquisitionStarted(a.keys().name(), kind.role()));
        CompletableFuture.allOf(parts.stream().map(a -> ctx.undos().settled(a.keys(), a.holdId().holderId()))
                .toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                    if (e == null) {
                        send();
                    } else {
                        finish(null, translate(e, " (an earlier acquisition of one of its owners whose reply was lost"
                                + " is not undone yet)"));
                    }
                });
    }

    private void send() {
        if (ctx.isClosed() || result.isDone()) {
            finish(null, ctx.isClosed() ? closedError() : cancelled());
            return;
        }
        long sent = ctx.ticker().nanoTime();
        List<AttemptRequest> requests = parts.stream().map(a -> new AttemptRequest(a.keys(), a.holdId().holderId(),
                AttemptMode.TRY, a.leaseMillis(), null, 0, 0)).toList();
        CompletableFuture<AllOrNone> reply;
        try {
            reply = kind.tryAll(requests);
        } catch (RuntimeException e) {
            finish(null, e); // refused before anything was sent
            return;
        }
        reply.whenComplete((r, e) -> {
            if (e != null) {
                undoAll(); // its reply may be what was lost
                finish(null, translate(e, ""));
            } else if (!r.allTaken() && r.busy() != null && r.busy().outcome() == AttemptResult.Outcome.REFUSED) {
                finish(null, new LockUpgradeException(parts.get(r.notTaken()).keys().name(), r.busy().reason()));
            } else if (!r.allTaken()) {
                finish(new Result(List.of(), r.notTaken()), null);
            } else {
                ReplicaCheck.after(ctx, parts.get(0).keys()).whenComplete((v, x) -> {
                    if (x == null) {
                        keep(r.tokens(), LeasedItem.validUntil(sent, parts.get(0).leaseMillis()));
                    } else if (Errors.unwrap(x) instanceof ReplicationException refused) {
                        undoAll().whenComplete((y, z) -> finish(null, refused));
                    } else {
                        undoAll();
                        finish(null, translate(x, ""));
                    }
                });
            }
        });
    }

    private void keep(List<Long> tokens, long validUntil) {
        if (ctx.isClosed() || result.isDone()) {
            undoAll().whenComplete((v, e) -> finish(null, ctx.isClosed() ? closedError() : cancelled()));
            return;
        }
        List<Hold> holds = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            holds.add(ctx.engine().granted(parts.get(i), tokens.get(i), validUntil));
        }
        if (!finish(new Result(holds, -1), null)) {
            // cancelled between the look above and now: give the holds back, as a cancelled acquisition does
            holds.forEach(ctx.engine()::giveBack);
        }
    }

    /** Gives back whatever the call may have taken on the server, retried until done; completes with the first tries. */
    private CompletableFuture<Void> undoAll() {
        long lifetime = Math.max(parts.get(0).leaseMillis(), ctx.options().fairWaiterTimeout().toMillis());
        return CompletableFuture.allOf(parts.stream()
                .map(a -> ctx.undos().undo(kind, a.keys(), a.holdId().holderId(), lifetime))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Ends the call, once; returns whether {@code outcome} (or {@code failure}) is what the caller
     * sees. A lock not taken because another one was busy is reported to the observer as a
     * zero-wait attempt that found its lock busy ({@code TIMED_OUT}), as the engine reports those.
     */
    private boolean finish(Result outcome, RuntimeException failure) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        leaveAcquiring();
        if (started) {
            HoldfastObserver.Outcome o = outcome != null && outcome.notTaken() < 0 ? HoldfastObserver.Outcome.ACQUIRED
                    : failure == null ? HoldfastObserver.Outcome.TIMED_OUT
                    : failure instanceof CancellationException ? HoldfastObserver.Outcome.INTERRUPTED
                    : HoldfastObserver.Outcome.FAILED;
            long took = ctx.ticker().nanoTime() - startedNanos;
            parts.forEach(a -> ctx.observer().acquisitionFinished(a.keys().name(), kind.role(), o, took));
        }
        return failure == null ? result.complete(outcome) : result.completeExceptionally(failure);
    }

    private void leaveAcquiring() {
        parts.forEach(a -> ctx.acquiring().remove(a.holdId(), a));
    }

    /**
     * The caller's exception for {@code e}; a script error names the lock it is about with
     * {@code " [lock i]"} (see {@code acquire-all.lua}), so that the message names that lock's key.
     */
    private RuntimeException translate(Throwable e, String more) {
        LockKeys about = parts.get(0).keys();
        Matcher m = LOCK_INDEX.matcher(String.valueOf(Errors.unwrap(e).getMessage()));
        if (m.find()) {
            int i = Integer.parseInt(m.group(1)) - 1;
            about = i >= 0 && i < parts.size() ? parts.get(i).keys() : about;
        }
        return Errors.translate(e, "acquiring locks " + names() + more, about, ctx.redis().endpoint());
    }

    private static final Pattern LOCK_INDEX = Pattern.compile(" \\[lock (\\d+)\\]");

    private String names() {
        return parts.stream().map(a -> "'" + a.keys().name() + "'").toList().toString();
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("the Holdfast client was closed while acquiring locks " + names());
    }

    private CancellationException cancelled() {
        return new CancellationException("acquisition of locks " + names() + " was cancelled");
    }
}
