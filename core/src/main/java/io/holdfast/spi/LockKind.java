package io.holdfast.spi;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * What makes one kind of lock (reentrant, fair, read, write) different: its scripts. The wait
 * loop, hold bookkeeping, renewal and blocking adapter are shared ({@link AcquisitionEngine},
 * {@link EngineLock}). One instance serves every lock of its kind in a client.
 */
public interface LockKind {

    /** Tells holds of different roles of one holder on one key apart (e.g. "read", "write"). */
    String role();

    /** One acquisition attempt: one script call. */
    CompletableFuture<AttemptResult> attempt(AttemptRequest request);

    /**
     * Releases one level: {@link ScriptEffect#found()} tells whether the holder had a hold on the
     * server (false: nothing was released), and the effect names what the release published (a
     * hand-over, a wake-up). The script sets the count to {@code levelsLeft} rather than counting one down, so
     * that a release that runs twice (re-sent after a reconnect) releases one level, not two.
     *
     * @param levelsLeft the client's count after this release; 0: its last level, the whole hold
     *     goes at once, whatever the server counted (a re-entry whose reply was lost may have
     *     counted one more)
     */
    CompletableFuture<ScriptEffect> release(LockKeys keys, String holderId, int levelsLeft);

    /**
     * Whether {@link #tryAll} can try several locks of this kind in one script call. By default not.
     */
    default boolean triesAll() {
        return false;
    }

    /**
     * Zero-wait attempts ({@link AttemptMode#TRY}: never queued) on several locks of this kind in
     * one Cluster slot (any locks on one server), each for its own holder, all or none, in one
     * script call: if one of them is not taken, the script gives back those it took before it, so
     * that nobody sees a part of them taken. Run twice (re-sent after a reconnect), it does what
     * one run would; a server error about one lock (a key of another type) takes none of them
     * either, and names that lock. By default the kind cannot ({@link UnsupportedOperationException};
     * see {@link #triesAll()}).
     *
     * @param requests one per lock, each a fresh attempt without wait, all with the same lease
     */
    default CompletableFuture<AllOrNone> tryAll(List<AttemptRequest> requests) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "a " + role() + " lock cannot be tried together with others"));
    }

    /**
     * Releases the last level of several locks of this kind in one Cluster slot (any locks on one
     * server), each for its own holder, in one script call, each as {@link #release release(keys,
     * holder, 0)} would: one future per lock, in order, each completing with that lock's effect or
     * failing on its own (a server error about that lock; all of them if the call failed). Only
     * called when {@link #triesAll()}; by default one {@link #release} per lock, all sent at once.
     */
    default List<CompletableFuture<ScriptEffect>> releaseAll(List<LockKeys> keys, List<String> holderIds) {
        List<CompletableFuture<ScriptEffect>> effects = new java.util.ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            effects.add(release(keys.get(i), holderIds.get(i), 0));
        }
        return effects;
    }

    /**
     * Ends the holder's hold (its last level) without freeing the lock: the lock stays taken, by
     * nobody who can release or re-enter it, for {@code delayMillis} more, then expires
     * ({@code RLock.unlockAfter}). Run twice, it does what one run would. {@link ScriptEffect#found()}:
     * whether the holder had the hold. By default the kind cannot ({@link UnsupportedOperationException}).
     */
    default CompletableFuture<ScriptEffect> unlockAfter(LockKeys keys, String holderId, long delayMillis) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "lock '" + keys.name() + "' is a " + role() + " lock, which cannot unlock after a delay;"
                        + " the reentrant and fair locks can"));
    }

    /**
     * Undoes a fresh acquisition nobody will use (the caller was interrupted or timed out while
     * it was in flight, or its reply was lost): drops the holder's hold entirely, and for a queued
     * kind leaves the queue. Harmless when the holder has nothing. The effect names what it
     * published (dropping a granted hold hands the lock over).
     */
    CompletableFuture<ScriptEffect> abandon(LockKeys keys, String holderId);

    /**
     * Whether a waiter of this kind has server-side state to clean up when it gives up (a fair
     * lock's queue place); if so, {@link #abandon} runs before a timed-out acquisition returns.
     */
    default boolean queued() {
        return false;
    }

    /**
     * A release handed the lock over to the waiting {@code holderId} (the server granted it with
     * the lease the waiter's attempts announced): stops keeping the waiter's place and returns the
     * instant on the client's {@link ClientContext#ticker() ticker} until which the server surely
     * keeps the hold, or empty if the kind cannot tell (by default: it does not hand locks over)
     * or the server's lease is shorter than the acquisition asked for (the waiter then makes an
     * attempt, which finds the hold and grants it again in full).
     *
     * @param placement the placement the hand-over names: only a hand-over of the placement the
     *     waiter waits with now, confirmed alive before the grant, can be bounded
     * @param leaseMillis the acquisition's lease: the explicit one, or the watchdog's when renewed
     * @param renewed the watchdog renews the hold (no explicit lease was asked for)
     */
    default OptionalLong handedOverValidUntil(LockKeys keys, String holderId, String placement, long leaseMillis,
            boolean renewed) {
        return OptionalLong.empty();
    }

    /**
     * Whether locks of this kind have distributed conditions ({@code RLock.newCondition}): an
     * exclusive kind whose hold is the field {@code holder id} of the lock's main hash, which the
     * condition scripts check. By default not ({@code newCondition} throws
     * {@link UnsupportedOperationException}).
     */
    default boolean supportsConditions() {
        return false;
    }

    /**
     * The renewal script of a hold of this kind. It never shortens a lease: a nested re-entry may
     * have asked for a longer one than the watchdog's (and on a key shared by several holders,
     * another holder may have).
     */
    Script renewScript();

    /**
     * The renewal script of a hold whose lease on the server is never longer than the watchdog's
     * (no re-entry of it asked for a longer one, and no other holder shares its key): it may set the
     * lease without first reading it. By default the same as {@link #renewScript()}.
     */
    default Script plainRenewScript() {
        return renewScript();
    }

    /** The keys the renewal scripts take for one hold; by default the lock's main key. */
    default List<String> renewKeys(LockKeys keys, String holderId) {
        return List.of(keys.key());
    }

    /** Frees the lock whoever holds it and wakes waiters: {@link ScriptEffect#found()}, whether it was held. */
    CompletableFuture<ScriptEffect> forceUnlock(LockKeys keys);

    /** Whether anybody holds this role of the lock. */
    CompletableFuture<Boolean> isLocked(LockKeys keys);

    /** The holder's hold count on the server, 0 if none. */
    CompletableFuture<Integer> holdCount(LockKeys keys, String holderId);

    /** Remaining lease of the lock in ms; -2 if not held, -1 if it does not expire. */
    CompletableFuture<Long> remainTimeToLive(LockKeys keys);
}
