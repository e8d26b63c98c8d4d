package io.holdfast.spi;

import io.holdfast.Lease;
import io.holdfast.RLock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine's locks as the group locks ({@code holdfast-quorum}) use them: tried together with
 * others in one script call, all or none, where their kind can ({@link LockKind#tryAll}); and taken
 * and released one by one without a hand-off to the callback executor. The multi-lock tries its
 * members that live in one Cluster slot of one client (any members on one server) together. Not a
 * supported API: exported only to Holdfast's own modules.
 *
 * <p>Unlike the public async methods of {@link RLock}, the futures returned here may complete on a
 * Lettuce I/O thread or a timer thread, or at once on the calling thread: what the caller chains on
 * them must be short and must never block (a hand-off per step showed in the group locks' latency).
 */
public interface TakenTogether {

    /**
     * Locks whose keys are equal (and not null) can be tried together by
     * {@link #tryLockTogetherAsync}: the same client, the same kind, the same Cluster slot (any
     * slot on one server). Null if this lock cannot be tried together with any other.
     */
    Object togetherKey();

    /**
     * Zero-wait attempts on {@code locks}, all or none, in one script call: {@code locks.get(i)}
     * with owner token {@code owners[i]}, as {@link RLock#tryLockAsync(long, long, long, TimeUnit)
     * tryLockAsync(owners[i], 0, leaseTime, unit)} would take it, each hold its own (released,
     * renewed and lost as one taken alone). Cancelling the returned future gives back whatever the
     * call took.
     *
     * @param locks at least one lock, each with this lock's {@link #togetherKey()}, no name twice
     * @param owners one owner token per lock
     * @param leaseTime the lease of each hold, or {@code -1} for watchdog-renewed holds
     * @return every lock taken ({@link Taken#leases()} in order), or the first lock found busy; it
     *     fails as one lock's acquisition would (a key of another type: {@code WrongKeyTypeException}
     *     naming that lock's key; a refusal: {@code LockUpgradeException}), nothing then held
     * @throws IllegalArgumentException if a lock cannot be tried together with this one, or the
     *     arguments do not match
     */
    CompletableFuture<Taken> tryLockTogetherAsync(List<? extends RLock> locks, long[] owners, long leaseTime,
            TimeUnit unit);

    /**
     * Unlocks {@code locks} (this one among them or not; all with this lock's {@link #togetherKey()})
     * in one script call: {@code locks.get(i)}'s hold of owner token {@code owners[i]}, each as
     * {@link RLock#unlockAsync(long) unlockAsync(owners[i])} would, and all in the same moment on the
     * server. A hold at its last level goes in the one call; one that is not (re-entered), or cannot
     * be released now, is released or refused on its own.
     *
     * @return one future per lock, in order, each completing or failing as {@code unlockAsync} would
     * @throws IllegalArgumentException if a lock cannot be released together with this one, or the
     *     arguments do not match
     */
    List<CompletableFuture<Void>> unlockTogetherAsync(List<? extends RLock> locks, long[] owners);

    /**
     * {@link RLock#tryLockAsync(long, long, long, TimeUnit)}, but the returned future may complete
     * on a Lettuce I/O thread or a timer thread (see the class comment): for every engine lock, of
     * any kind, together key or not.
     */
    CompletableFuture<Optional<Lease>> tryLockDirectAsync(long owner, long waitTime, long leaseTime, TimeUnit unit);

    /** {@link RLock#unlockAsync(long)}, but the returned future may complete on a Lettuce I/O thread. */
    CompletableFuture<Void> unlockDirectAsync(long owner);

    /**
     * What {@link #tryLockTogetherAsync} found.
     *
     * @param leases every lock taken: their leases, in order; empty otherwise
     * @param notTaken the index of the first lock found busy (none is then held), -1 if every lock was taken
     */
    record Taken(List<Lease> leases, int notTaken) {

        public Taken {
            leases = List.copyOf(leases);
        }
    }
}
