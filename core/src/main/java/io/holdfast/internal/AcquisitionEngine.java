package io.holdfast.internal;

import io.holdfast.spi.AttemptMode;
import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.ScriptEffect;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.spi.AttemptResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one acquisition engine every lock kind runs on; asynchronous inside, with
 * {@link EngineLock} as the blocking adapter.
 *
 * <p>Algorithm. A fresh acquisition (see {@link Acquisition}) makes one attempt. If the lock is
 * busy and the caller will wait, it subscribes to the lock's channel, and only then tries again, so
 * that a release after that attempt always reaches it. While busy it parks until a wake-up
 * message or until the holder's lease would have run out (a lease that expires publishes
 * nothing), whichever is first, then tries again. A re-entry (the holder already holds this role)
 * is one attempt that only counts up, or finds the hold gone and reports it lost.
 *
 * <p>Holds: a granted hold is put in the client's registry and, without an explicit lease, handed
 * to the watchdog; releasing the last level takes it out of both.
 */
public final class AcquisitionEngine {

    private final Client ctx;

    AcquisitionEngine(Client ctx) {
        this.ctx = ctx;
    }

    /**
     * Starts acquiring.
     *
     * @param ownerThread the thread that owns the hold, or null for an owner token: the watchdog
     *     stops renewing a hold whose owner thread has ended
     * @param leaseMillis {@code > 0} for a lease that expires; {@code -1} for a watchdog-renewed one
     * @param waitNanos {@code 0} for one attempt only, {@code < 0} to wait for ever
     */
    Acquisition acquire(LockKind kind, LockKeys keys, String holderId, Thread ownerThread, long leaseMillis,
            long waitNanos) {
        ctx.checkOpen();
        HoldKey id = new HoldKey(keys.key(), kind.role(), holderId);
        Hold held = ctx.holds().get(id);
        Acquisition acquisition = new Acquisition(ctx, kind, keys, id, ownerThread, leaseMillis, waitNanos);
        if (held == null) {
            Acquisition running = ctx.acquiring().putIfAbsent(id, acquisition);
            if (running != null) {
                // two fresh attempts of one holder would both be granted the same field
                acquisition.result().completeExceptionally(new IllegalStateException("cannot acquire lock '" + keys.name()
                        + "': holder " + holderId + " is already acquiring it; an owner acquires one lock at a time"));
                return acquisition;
            }
            Hold grantedMeanwhile = ctx.holds().get(id);
            if (grantedMeanwhile != null) {
                // a fresh acquisition of this holder finished between the two looks: re-enter its hold
                // (a granted hold is registered before its acquisition leaves `acquiring`)
                ctx.acquiring().remove(id, acquisition);
                reenter(acquisition, grantedMeanwhile, leaseMillis);
                return acquisition;
            }
            if (ctx.isClosed()) {
                acquisition.clientClosed(); // close() went through `acquiring` before this one was in it
                return acquisition;
            }
            acquisition.start();
        } else {
            reenter(acquisition, held, leaseMillis);
        }
        return acquisition;
    }

    private void reenter(Acquisition acquisition, Hold held, long leaseMillis) {
        LockLostException lost = held.lostCause();
        if (lost != null) {
            acquisition.result().completeExceptionally(lost);
            return;
        }
        // a nested level without a lease of its own keeps the hold's lease: the watchdog's, or the
        // outer level's explicit one (it must not stretch an explicit lease nobody renews)
        long lease = leaseMillis > 0 ? leaseMillis : held.leaseMillis();
        held.reentering(lease);
        long sent = ctx.ticker().nanoTime();
        boolean kept = leaseMillis <= 0;
        AttemptRequest request = new AttemptRequest(held.keys(), held.id().holderId(),
                kept ? AttemptMode.REENTER_KEEPING_LEASE : AttemptMode.REENTER, lease, null, 0, held.count() + 1);
        held.kind().attempt(request).whenComplete((r, e) -> {
            if (e != null) {
                acquisition.result().completeExceptionally(Errors.translate(e,
                        "re-entering lock '" + held.lockName() + "'", held.keys(), ctx.redis().endpoint()));
            } else if (r.outcome() == Outcome.REENTERED) {
                // the server set the count the client sends (its count + 1): a re-entry that runs
                // twice, re-sent after a reconnect, counts once
                held.count(held.count() + 1);
                if (!kept) {
                    held.extended(sent, lease);
                }
                acquisition.result().complete(held);
            } else {
                held.markLost("the hold was gone from the server when re-entered", false);
                acquisition.result().completeExceptionally(held.lostCause() != null ? held.lostCause()
                        : new LockLostException(held.lockName(), "the hold was gone from the server when re-entered"));
            }
        });
    }

    /**
     * Releases one level of {@code holderId}'s hold. Fails with IllegalMonitorStateException if
     * the client has no such hold, LockLostException if it was lost.
     */
    public CompletableFuture<Void> release(LockKind kind, LockKeys keys, String holderId) {
        Releasing r;
        try {
            r = beginRelease(kind, keys, holderId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return endRelease(r, kind.release(keys, holderId, r.hold().count() - 1));
    }

    /**
     * Releases the last level of several holds of one kind in one slot (the multi-lock's members of
     * one slot) with one script call ({@link LockKind#releaseAll}); one future per hold, each
     * completing as {@link #release} would for it. A hold that is not at its last level, or cannot be
     * released now (not held, lost, already being released), is released, or refused, on its own.
     */
    public List<CompletableFuture<Void>> releaseAll(LockKind kind, List<LockKeys> keys, List<String> holderIds) {
        List<CompletableFuture<Void>> results = new ArrayList<>(keys.size());
        List<Releasing> together = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Hold hold = ctx.holds().get(new HoldKey(keys.get(i).key(), kind.role(), holderIds.get(i)));
            if (hold == null || hold.count() != 1 || hold.lostCause() != null) {
                results.add(release(kind, keys.get(i), holderIds.get(i)));
                continue;
            }
            try {
                together.add(beginRelease(kind, keys.get(i), holderIds.get(i)));
                at.add(i);
                results.add(null);
            } catch (RuntimeException e) {
                results.add(CompletableFuture.failedFuture(e));
            }
        }
        if (together.isEmpty()) {
            return results;
        }
        List<CompletableFuture<ScriptEffect>> effects;
        try {
            if (together.size() == 1) {
                Hold only = together.get(0).hold();
                effects = List.of(kind.release(only.keys(), only.id().holderId(), 0));
            } else {
                effects = kind.releaseAll(together.stream().map(r -> r.hold().keys()).toList(),
                        together.stream().map(r -> r.hold().id().holderId()).toList());
            }
            if (effects.size() != together.size() || effects.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalStateException("the " + kind.role() + " kind answered " + effects.size()
                        + " releases for " + together.size());
            }
        } catch (RuntimeException e) {
            // each release then fails as one whose command failed: its hold is not left being released
            effects = together.stream().map(r -> CompletableFuture.<ScriptEffect>failedFuture(e)).toList();
        }
        for (int k = 0; k < together.size(); k++) {
            results.set(at.get(k), endRelease(together.get(k), effects.get(k)));
        }
        return results;
    }

    /**
     * What {@link #release} looked at before it sent the release script.
     *
     * @param disconnects the connection losses counted when it was sent
     * @param server the identity of the server that holds the key then
     * @param expected the identity to compare with: the granting server's if known (a restart or
     *     failover seen by the client before this release was sent has already changed {@code server},
     *     not the hold's)
     */
    private record Releasing(Hold hold, boolean last, long disconnects, String server, String expected,
            boolean validWhenSent) {
    }

    /**
     * Looks up the hold of one release and, for its last level, marks it being released.
     *
     * @throws IllegalMonitorStateException if it is not held, or its last level is already being released
     * @throws LockLostException if it was lost (its level is dropped)
     */
    private Releasing beginRelease(LockKind kind, LockKeys keys, String holderId) {
        HoldKey id = new HoldKey(keys.key(), kind.role(), holderId);
        Hold hold = ctx.holds().get(id);
        if (hold == null) {
            throw new IllegalMonitorStateException("cannot unlock lock '" + keys.name() + "': not held by " + holderId);
        }
        if (hold.lostCause() != null) {
            throw dropLostLevel(hold, true);
        }
        boolean last = hold.count() == 1;
        if (last && !hold.beginRelease()) {
            if (hold.lostCause() != null) {
                throw dropLostLevel(hold, true);
            }
            throw new IllegalMonitorStateException(
                    "cannot unlock lock '" + keys.name() + "': its last level is already being released by " + holderId);
        }
        String server = ctx.redis().serverId(keys.key());
        return new Releasing(hold, last, ctx.redis().disconnects(), server,
                hold.grantedBy().isEmpty() ? server : hold.grantedBy(),
                hold.validUntilNanos() - ctx.ticker().nanoTime() > 0);
    }

    /**
     * Finishes one release with what its script did ({@code effect}).
     *
     * <p>A release that hands the lock over to a waiter of this same client does not publish the
     * hand-over: this client is told by the script's reply ({@link #applied}). If a last level's reply
     * may be lost (the call failed, or the connection dropped while it was out, so a re-sent run may
     * have answered instead of the one that handed over), this client's waiters of the lock are
     * woken to look again at once: one of them may hold it already, and its attempt finds the hold
     * and takes it. Without that it would learn of it only at its next attempt (within one
     * {@code fairWaiterTimeout}), the lock idle meanwhile.
     */
    private CompletableFuture<Void> endRelease(Releasing r, CompletableFuture<ScriptEffect> effect) {
        Hold hold = r.hold();
        LockKeys keys = hold.keys();
        return applied(keys, effect.whenComplete((e, failure) -> {
                    if (r.last() && (failure != null || ctx.redis().disconnects() != r.disconnects())) {
                        ctx.hub().deliverLocally(keys.channel(), WakeMessage.ALL);
                    }
                })).thenApply(ScriptEffect::found)
                .thenCompose(held -> !held && r.last() && r.validWhenSent() && ctx.redis().disconnects() != r.disconnects()
                        ? ctx.redis().refreshServerId(keys.key()).thenCompose(now -> released(hold, true, false,
                                !r.server().isEmpty() && r.server().equals(now) && r.expected().equals(now)))
                        : released(hold, r.last(), held, false))
                .handle((v, e) -> {
                    if (e == null) {
                        return null;
                    }
                    if (r.last() && hold.state() == LeaseState.RELEASING) {
                        hold.abortRelease();
                    }
                    throw Errors.translate(e, "unlocking lock '" + keys.name() + "'", keys, ctx.redis().endpoint());
                });
    }

    /**
     * Gives back a hold its owner will never use (its acquisition was cancelled after the server
     * granted it): one release; if that fails (the server did not answer in time, the connection
     * dropped), the hold leaves the registry and the watchdog at once and is dropped on the server by
     * an undo retried until done ({@link Undos}). Without that, a hold nobody knows of would be
     * renewed for as long as the client lives. Never fails.
     */
    CompletableFuture<Void> giveBack(Hold hold) {
        return release(hold.kind(), hold.keys(), hold.id().holderId()).handle((v, e) -> {
            if (e != null && ctx.holds().get(hold.id()) == hold && hold.lostCause() == null) {
                forget(hold);
                long lifetime = Math.max(hold.leaseMillis(), ctx.options().fairWaiterTimeout().toMillis());
                ctx.undos().undo(hold.kind(), hold.keys(), hold.id().holderId(), lifetime);
            }
            return null;
        });
    }

    /**
     * Ends {@code holderId}'s hold, which must be at its last level, leaving the lock taken on the
     * server for {@code delayMillis} more ({@link LockKind#unlockAfter}). Fails as {@link #release}
     * does, and with IllegalMonitorStateException if the hold has more than one level.
     */
    public CompletableFuture<Void> unlockAfter(LockKind kind, LockKeys keys, String holderId, long delayMillis) {
        Hold hold = ctx.holds().get(new HoldKey(keys.key(), kind.role(), holderId));
        if (hold == null) {
            return CompletableFuture.failedFuture(new IllegalMonitorStateException(
                    "cannot unlock lock '" + keys.name() + "': not held by " + holderId));
        }
        if (hold.lostCause() != null) {
            return CompletableFuture.failedFuture(dropLostLevel(hold, true));
        }
        if (hold.count() != 1) {
            return CompletableFuture.failedFuture(new IllegalMonitorStateException("cannot unlock lock '" + keys.name()
                    + "' after a delay: " + holderId + " holds " + hold.count() + " levels; only a last level can"));
        }
        if (!hold.beginRelease()) {
            return CompletableFuture.failedFuture(hold.lostCause() != null ? dropLostLevel(hold, true)
                    : new IllegalMonitorStateException("cannot unlock lock '" + keys.name()
                            + "': its last level is already being released by " + holderId));
        }
        return kind.unlockAfter(keys, holderId, delayMillis).thenApply(ScriptEffect::found)
                .thenCompose(held -> released(hold, true, held, false))
                .handle((v, e) -> {
                    if (e == null) {
                        return null;
                    }
                    if (hold.state() == LeaseState.RELEASING) {
                        hold.abortRelease();
                    }
                    throw Errors.translate(e, "unlocking lock '" + keys.name() + "'", keys, ctx.redis().endpoint());
                });
    }

    /**
     * The server released one level ({@code held}: it has the levels the client asked for, since
     * the script sets the client's count, see {@link LockKind#release}) or found no hold to release
     * ({@code !held}). A last level that was not there is lost, unless {@code maybeRunTwice} (only ever true
     * for a last level): the connection
     * was lost while the release was in flight, so its first run (whose reply was lost, then
     * re-sent) may have released it; the hold was still valid when it was sent; and the server that
     * answered is the same process as the one that granted the hold and as before the release was
     * sent (same {@code run_id}: not a restarted or failed-over server that forgot the hold, even one
     * the client had already reconnected to when it sent the release), so nothing but a release (this one, or a force-unlock
     * in the same moment) could have removed it; it then counts as released. If the server's
     * identity is not known, it counts as lost: a loss reported too often, never one hidden.
     */
    private CompletableFuture<Void> released(Hold hold, boolean last, boolean held, boolean maybeRunTwice) {
        if (!held && !maybeRunTwice) {
            hold.markLost("not held on the server at unlock (lease expired or force-unlocked)", true);
            return CompletableFuture.failedFuture(dropLostLevel(hold, false));
        }
        if (!last) {
            hold.count(hold.count() - 1);
            return CompletableFuture.completedFuture(null);
        }
        hold.count(0);
        hold.released();
        forget(hold);
        ctx.observer().released(hold.lockName(), hold.kind().role(), hold.heldNanos());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Unlocks one level of a lost hold: the level is gone, forget the hold after its last one. A hold
     * the client counted lost by itself ({@code mayBeOnServer}: e.g. not renewed before its deadline)
     * may still be on the server, kept there by a renewal or re-entry whose reply came late or never:
     * after its last level the server is asked to drop it (an undo, retried until done for as long as
     * the server can keep it; the owner's next acquisition of this lock waits for it, see
     * {@link Undos}). Left there, it would keep the lock from others for up to one more lease, and the
     * owner's next write acquisition would be refused as an upgrade of a read lock it no longer holds
     * (found by the fault harness on a Cluster; {@code chaos/.../LostHoldLeftOnTheServerTest}).
     */
    private LockLostException dropLostLevel(Hold hold, boolean mayBeOnServer) {
        int left = hold.count() - 1;
        hold.count(Math.max(0, left));
        if (left <= 0) {
            forget(hold);
            if (mayBeOnServer) {
                long lifetime = Math.max(hold.leaseMillis(), ctx.options().fairWaiterTimeout().toMillis());
                ctx.undos().undo(hold.kind(), hold.keys(), hold.id().holderId(), lifetime);
            }
        }
        return hold.lostCause();
    }

    /**
     * Acts on what a script published for this client's own waiters at once (a hand-over names
     * one of them: it need not wait for the message to come back through pub/sub; the message
     * still comes in later and is then ignored by whoever already took it).
     */
    CompletableFuture<ScriptEffect> applied(LockKeys keys, CompletableFuture<ScriptEffect> effect) {
        return effect.thenApply(e -> {
            if (!e.published().isEmpty()) {
                ctx.hub().deliverLocally(keys.channel(), e.published());
            }
            return e;
        });
    }

    /** Takes {@code hold} out of the registry and the watchdog. */
    void forget(Hold hold) {
        LeaseKeeper keeper = ctx.keeper();
        if (keeper != null) {
            keeper.cancel(hold);
        }
        ctx.holds().remove(hold.id(), hold);
    }

    /**
     * Registers a hold the server just granted.
     *
     * @param validUntilNanos until when the server surely keeps it (see {@link Hold#validUntilNanos()})
     */
    Hold granted(Acquisition a, long token, long validUntilNanos) {
        Hold hold = new Hold(a.holdId(), a.keys(), a.kind(), a.ownerThread(), token, a.leaseMillis(), a.renewed(),
                validUntilNanos, ctx.ticker(), ctx::lost);
        hold.grantedBy(ctx.redis().serverId(a.keys().key()));
        ctx.holds().put(hold.id(), hold);
        if (a.renewed()) {
            ctx.keeper().register(hold);
        }
        return hold;
    }

    /** The client's hold for this kind, lock and holder, if any. */
    public Optional<Hold> hold(LockKind kind, LockKeys keys, String holderId) {
        return Optional.ofNullable(ctx.holds().get(new HoldKey(keys.key(), kind.role(), holderId)));
    }

    /** Frees the lock on the server and marks every local hold on it lost. */
    public CompletableFuture<Boolean> forceUnlock(LockKind kind, LockKeys keys) {
        // the holds before the call: the force-unlock may hand the lock over to a waiter of this
        // client, whose new hold may be registered before the reply comes in
        List<Hold> before = ctx.holds().values().stream().filter(h -> h.keys().key().equals(keys.key())).toList();
        return applied(keys, kind.forceUnlock(keys)).thenApply(ScriptEffect::found).thenApply(wasLocked -> {
            before.forEach(h -> h.markLost("force-unlocked", true));
            return wasLocked;
        });
    }
}
