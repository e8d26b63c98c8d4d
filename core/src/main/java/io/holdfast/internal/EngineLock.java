package io.holdfast.internal;

import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.TakenTogether;
import io.holdfast.Lease;
import io.holdfast.LockUpgradeException;
import io.holdfast.RLock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The blocking {@link RLock} over the {@link AcquisitionEngine}, for any {@link LockKind}. It keeps
 * no state of its own: holds live in the client's registry, keyed by lock, role and holder, so
 * two objects for the same name behave as one lock.
 *
 * <p>Threads: the holder of a call is the calling thread ({@code clientId:threadId}).
 */
public class EngineLock implements RLock, TakenTogether {

    private static final long WATCHDOG = -1;

    protected final Client ctx;
    protected final LockKind kind;
    protected final LockKeys keys;

    public EngineLock(Client ctx, LockKind kind, LockKeys keys) {
        this.ctx = Objects.requireNonNull(ctx);
        this.kind = Objects.requireNonNull(kind);
        this.keys = Objects.requireNonNull(keys);
    }

    @Override
    public String getName() {
        return keys.name();
    }

    @Override
    public void lock() {
        awaitUninterruptibly(start(WATCHDOG, -1));
    }

    @Override
    public void lock(long leaseTime, TimeUnit unit) {
        awaitUninterruptibly(start(leaseMillis(leaseTime, unit, false), -1));
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        lockInterruptibly(WATCHDOG);
    }

    @Override
    public void lockInterruptibly(long leaseTime, TimeUnit unit) throws InterruptedException {
        lockInterruptibly(leaseMillis(leaseTime, unit, false));
    }

    private void lockInterruptibly(long leaseMillis) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        awaitInterruptibly(start(leaseMillis, -1));
    }

    @Override
    public boolean tryLock() {
        try {
            return awaitUninterruptibly(start(WATCHDOG, 0)) != null;
        } catch (LockUpgradeException e) {
            return false;
        }
    }

    @Override
    public boolean tryLock(long waitTime, TimeUnit unit) throws InterruptedException {
        return tryLock(waitTime, -1, unit);
    }

    @Override
    public boolean tryLock(long waitTime, long leaseTime, TimeUnit unit) throws InterruptedException {
        long lease = leaseMillis(leaseTime, unit, true);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            return awaitInterruptibly(start(lease, waitNanos(waitTime, unit))) != null;
        } catch (LockUpgradeException e) {
            return false;
        }
    }

    @Override
    public void unlock() {
        ctx.checkOpen();
        join(ctx.engine().release(kind, keys, holder()), "unlocking");
    }

    @Override
    public void unlockAfter(long delay, TimeUnit unit) {
        long delayMillis = Objects.requireNonNull(unit, "unit").toMillis(delay);
        if (delayMillis < 1 || delayMillis > RLock.MAX_LEASE_MILLIS) {
            throw new IllegalArgumentException("delay must be between 1 ms and 365 days: " + delay + " " + unit);
        }
        ctx.checkOpen();
        join(ctx.engine().unlockAfter(kind, keys, holder(), delayMillis), "unlocking");
    }

    @Override
    public boolean forceUnlock() {
        ctx.checkOpen();
        return join(ctx.engine().forceUnlock(kind, keys), "force-unlocking");
    }

    @Override
    public boolean isLocked() {
        ctx.checkOpen();
        return join(kind.isLocked(keys), "reading");
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return isHeldByThread(Thread.currentThread().getId());
    }

    @Override
    public boolean isHeldByThread(long threadId) {
        ctx.checkOpen();
        return join(kind.holdCount(keys, ctx.holderId(threadId)), "reading") > 0;
    }

    @Override
    public int getHoldCount() {
        ctx.checkOpen();
        return join(kind.holdCount(keys, holder()), "reading");
    }

    @Override
    public long remainTimeToLive() {
        ctx.checkOpen();
        return join(kind.remainTimeToLive(keys), "reading");
    }

    @Override
    public Optional<Lease> currentLease() {
        return ctx.engine().hold(kind, keys, holder()).map(this::lease);
    }

    @Override
    public CompletableFuture<Lease> lockAsync(long owner, long leaseTime, TimeUnit unit) {
        return startAsync(owner, leaseTime, unit, -1, this::lease);
    }

    @Override
    public CompletableFuture<Optional<Lease>> tryLockAsync(long owner, long waitTime, long leaseTime, TimeUnit unit) {
        return startAsync(owner, leaseTime, unit, waitNanos(waitTime, unit), h -> Optional.ofNullable(h).map(this::lease));
    }

    @Override
    public CompletableFuture<Void> unlockAsync(long owner) {
        return unlockAsync(owner, ctx.callbacks());
    }

    @Override
    public CompletableFuture<Optional<Lease>> tryLockDirectAsync(long owner, long waitTime, long leaseTime, TimeUnit unit) {
        return startAsync(owner, leaseTime, unit, waitNanos(waitTime, unit), h -> Optional.ofNullable(h).map(this::lease),
                null);
    }

    @Override
    public CompletableFuture<Void> unlockDirectAsync(long owner) {
        return unlockAsync(owner, null);
    }

    /** @param executor where the returned future completes; null: on the thread that completes the release */
    private CompletableFuture<Void> unlockAsync(long owner, Executor executor) {
        ctx.checkOpen();
        BiFunction<Void, Throwable, Void> translate = (v, e) -> {
            if (e != null) {
                throw Errors.translate(e, "unlocking lock '" + keys.name() + "'", keys, ctx.redis().endpoint());
            }
            return v;
        };
        CompletableFuture<Void> released = ctx.engine().release(kind, keys, ctx.ownerHolderId(owner));
        return executor == null ? released.handle(translate) : released.handleAsync(translate, executor);
    }

    /**
     * Starts an owner-token acquisition; cancelling the returned future cancels the acquisition.
     * The returned future completes on the callback executor, never on the I/O thread that
     * delivered the grant (a hand-over message, a reply).
     */
    private <T> CompletableFuture<T> startAsync(long owner, long leaseTime, TimeUnit unit, long waitNanos,
            Function<Hold, T> reply) {
        return startAsync(owner, leaseTime, unit, waitNanos, reply, ctx.callbacks());
    }

    /** @param executor where the returned future completes; null: on the thread that completes the acquisition */
    private <T> CompletableFuture<T> startAsync(long owner, long leaseTime, TimeUnit unit, long waitNanos,
            Function<Hold, T> reply, Executor executor) {
        long lease = leaseMillis(leaseTime, unit, true);
        Acquisition a = ctx.engine().acquire(kind, keys, ctx.ownerHolderId(owner), null, lease, waitNanos);
        BiFunction<Hold, Throwable, T> translate = (h, e) -> {
            if (e != null) {
                throw Errors.translate(e, "acquiring lock '" + keys.name() + "'", keys, ctx.redis().endpoint());
            }
            return reply.apply(h);
        };
        CompletableFuture<T> result = executor == null ? a.result().handle(translate)
                : a.result().handleAsync(translate, executor);
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                a.cancel();
            }
        });
        return result;
    }

    /** Locks of one client, kind and slot, whose kind can try several at once ({@link LockKind#tryAll}). */
    private record Together(Client ctx, LockKind kind, int slot) {
    }

    @Override
    public Object togetherKey() {
        return kind.triesAll() ? new Together(ctx, kind, ctx.redis().slotOf(keys.key())) : null;
    }

    @Override
    public CompletableFuture<Taken> tryLockTogetherAsync(List<? extends RLock> locks, long[] owners, long leaseTime,
            TimeUnit unit) {
        long lease = leaseMillis(leaseTime, unit, true);
        List<LockKeys> all = togetherKeys(locks, owners);
        List<String> holders = holderIds(owners);
        CompletableFuture<TogetherAttempt.Result> call = TogetherAttempt.start(ctx, kind, all, holders, lease);
        // not handed to the callback executor (as the public async methods are): the caller, the
        // multi-lock, only does short non-blocking steps on it, and a thread hop per call showed in
        // its acquisition latency
        CompletableFuture<Taken> result = call.handle((r, e) -> {
            if (e != null) {
                throw Errors.translate(e, "acquiring locks " + all.stream().map(LockKeys::name).toList(), keys,
                        ctx.redis().endpoint());
            }
            return new Taken(r.holds().stream().map(this::lease).toList(), r.notTaken());
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled() && !call.cancel(false)) {
                // the holds were granted before the cancel: give them back, as a cancelled acquisition does
                call.thenAccept(r -> r.holds().forEach(ctx.engine()::giveBack));
            }
        });
        return result;
    }

    @Override
    public List<CompletableFuture<Void>> unlockTogetherAsync(List<? extends RLock> locks, long[] owners) {
        List<LockKeys> all = togetherKeys(locks, owners);
        ctx.checkOpen();
        List<CompletableFuture<Void>> released = ctx.engine().releaseAll(kind, all, holderIds(owners));
        List<CompletableFuture<Void>> results = new ArrayList<>(released.size());
        for (int i = 0; i < released.size(); i++) {
            LockKeys k = all.get(i);
            results.add(released.get(i).handle((v, e) -> { // not handed to the callback executor: see tryLockTogetherAsync
                if (e != null) {
                    throw Errors.translate(e, "unlocking lock '" + k.name() + "'", k, ctx.redis().endpoint());
                }
                return v;
            }));
        }
        return results;
    }

    private List<String> holderIds(long[] owners) {
        List<String> holders = new ArrayList<>(owners.length);
        for (long owner : owners) {
            holders.add(ctx.ownerHolderId(owner));
        }
        return holders;
    }

    /**
     * The keys of {@code locks}, each of which must go together with this lock and have a name of
     * its own, one owner token each.
     */
    private List<LockKeys> togetherKeys(List<? extends RLock> locks, long[] owners) {
        Object together = togetherKey();
        if (together == null || locks.isEmpty() || owners.length != locks.size()) {
            throw new IllegalArgumentException("cannot take or release " + locks + " together with " + this
                    + " (owners: " + owners.length + ")");
        }
        List<LockKeys> all = new ArrayList<>(locks.size());
        Set<String> seen = new HashSet<>();
        for (RLock lock : locks) {
            if (!(lock instanceof EngineLock e) || !together.equals(e.togetherKey()) || !seen.add(e.keys.key())) {
                throw new IllegalArgumentException("lock " + lock + " cannot go together with the others: another"
                        + " client, kind or Cluster slot, or named twice");
            }
            all.add(e.keys);
        }
        return all;
    }

    @Override
    public java.util.concurrent.locks.Condition newCondition(String name) {
        Objects.requireNonNull(name, "condition name");
        if (name.isEmpty() || name.endsWith("}")) {
            // "<key>:condition:x}" is also the key of the lock named "<name>}:condition:x"
            throw new IllegalArgumentException("condition name '" + name + "' is empty or ends with '}' (its key"
                    + " would be another lock's key); choose another name");
        }
        if (!kind.supportsConditions()) {
            throw new UnsupportedOperationException("lock '" + keys.name() + "' is a " + kind.role()
                    + " lock, which has no conditions; the reentrant and fair locks have them");
        }
        return new EngineCondition(ctx, kind, keys, name);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + keys.name() + " as " + kind.role() + "]";
    }

    /** What the user sees of {@code hold}: its {@code whenLost()} completes off the I/O threads. */
    private Lease lease(Hold hold) {
        return new ClientLease(hold, ctx.callbacks());
    }

    /** The holder id of the calling thread. */
    protected String holder() {
        return ctx.holderId(Thread.currentThread().getId());
    }

    private Acquisition start(long leaseMillis, long waitNanos) {
        return ctx.engine().acquire(kind, keys, holder(), Thread.currentThread(), leaseMillis, waitNanos);
    }

    /**
     * {@code > 0} within [{@link RLock#MIN_LEASE_MILLIS}, {@link RLock#MAX_LEASE_MILLIS}] stays;
     * {@code < 0} (only if allowed) means watchdog; anything else is refused.
     */
    private static long leaseMillis(long leaseTime, TimeUnit unit, boolean negativeMeansWatchdog) {
        Objects.requireNonNull(unit, "unit");
        if (leaseTime < 0 && negativeMeansWatchdog) {
            return WATCHDOG;
        }
        if (leaseTime <= 0) {
            throw new IllegalArgumentException("leaseTime must be positive: " + leaseTime + " " + unit);
        }
        if (unit.toNanos(leaseTime) < TimeUnit.MILLISECONDS.toNanos(RLock.MIN_LEASE_MILLIS)) {
            throw new IllegalArgumentException("leaseTime " + leaseTime + " " + unit + " is shorter than the minimum lease of "
                    + RLock.MIN_LEASE_MILLIS + " ms");
        }
        if (unit.toMillis(leaseTime) > RLock.MAX_LEASE_MILLIS) {
            throw new IllegalArgumentException("leaseTime " + leaseTime + " " + unit + " is longer than the maximum lease of "
                    + RLock.MAX_LEASE_MILLIS + " ms (365 days)");
        }
        return unit.toMillis(leaseTime);
    }

    /** {@code < 0} → 0 (do not wait); at or above {@link RLock#MAX_WAIT_NANOS} → -1 (no time limit). */
    private static long waitNanos(long waitTime, TimeUnit unit) {
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(waitTime);
        return nanos >= RLock.MAX_WAIT_NANOS ? -1 : Math.max(0, nanos);
    }

    private Hold awaitInterruptibly(Acquisition a) throws InterruptedException {
        try {
            return a.result().get();
        } catch (InterruptedException e) {
            awaitUninterruptibly(a.cancel());
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e, "acquiring");
        }
    }

    private Hold awaitUninterruptibly(Acquisition a) {
        return join(a.result(), "acquiring");
    }

    /** Waits for {@code f} ignoring interrupts, then sets the interrupt flag again if one came. */
    private <T> T join(CompletableFuture<T> f, String doing) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e, doing);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitUninterruptibly(CompletableFuture<Void> f) {
        join(f, "cancelling");
    }

    private RuntimeException rethrow(ExecutionException e, String doing) {
        return Errors.translate(e.getCause(), doing + " lock '" + keys.name() + "'", keys, ctx.redis().endpoint());
    }
}
