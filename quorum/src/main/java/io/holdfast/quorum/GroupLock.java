package io.holdfast.quorum;

import io.holdfast.Lease;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.quorum.GroupHold.GroupLease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An {@link RLock} made of member {@link RLock}s, held when {@link Policy#needed()} of them are: the
 * quorum lock (the same name on N independent masters, a majority needed) and the multi-lock (any
 * locks, all needed). Acquisition: {@link GroupAcquisition}; a hold and its validity and loss:
 * {@link GroupHold}.
 *
 * <p><b>Holders and levels.</b> A holder is a thread (blocking methods) or an owner token (async
 * methods). Levels are counted here, in this object's registry; the members are held at one level
 * each, with an owner token of the acquisition's own. So a re-entry costs no round trip, and it
 * keeps the hold's lease as it is (a nested explicit lease neither shortens nor lengthens it). The
 * registry lives in this object: a {@link QuorumHoldfast} hands out one object per name.
 *
 * <p><b>Release.</b> The last unlock releases the members held, all at once but for the first one
 * in member order, which goes last, after the others have answered: waiters wait queued on that
 * member (see {@link GroupAcquisition}), so the one it is handed to finds the others free.
 *
 * <p><b>Queries</b> ({@link #isHeldByCurrentThread}, {@link #isHeldByThread},
 * {@link #getHoldCount}) answer from the registry and the hold's validity, without a round trip:
 * member holds are taken with owner tokens, which the members' queries (by thread) cannot see.
 * {@link #isLocked}, {@link #remainTimeToLive} and {@link #forceUnlock} ask every member at once.
 *
 * <p><b>Threads that end holding the lock.</b> A thread's hold is checked every
 * {@link #SWEEP_MILLIS} ms; once its thread has ended, it is released (it can no longer be in its
 * critical section, and nobody else may unlock it).
 */
final class GroupLock implements RLock {

    /** How often a thread's hold checks that its thread is still alive. */
    static final long SWEEP_MILLIS = 250;

    private static final long WATCHDOG = -1;

    final String name;
    final List<RLock> members;
    final List<String> memberLabels;
    final Policy policy;
    final GroupContext ctx;
    private final long watchdogLeaseMillis;
    private final Map<Holder, Object> holders = new HashMap<>();
    private volatile boolean closed;

    GroupLock(String name, List<RLock> members, List<String> memberLabels, Policy policy, GroupContext ctx,
            long watchdogLeaseMillis) {
        this.name = name;
        this.members = List.copyOf(members);
        this.memberLabels = List.copyOf(memberLabels);
        this.policy = policy;
        this.ctx = ctx;
        this.watchdogLeaseMillis = watchdogLeaseMillis;
    }

    @Override
    public String getName() {
        return name;
    }

    String describe() {
        return policy.label() + " '" + name + "'";
    }

    String memberLabel(int i) {
        return memberLabels.get(i);
    }

    // --- acquisition ---

    /** A started acquisition, or a re-entry already decided. */
    private record Pending(CompletableFuture<GroupHold> result, GroupAcquisition acquisition) {
        CompletableFuture<Void> cancel() {
            return acquisition == null ? result.handle((h, e) -> h).thenAccept(h -> { })
                    : acquisition.cancel();
        }
    }

    private Pending acquire(Holder holder, Thread ownerThread, long leaseMillis, long waitNanos) {
        if (closed) {
            throw new IllegalStateException("this quorum client is closed");
        }
        GroupAcquisition acquisition;
        synchronized (holders) {
            Object current = holders.get(holder);
            if (current instanceof GroupHold hold) {
                LockLostException lost = expired(hold);
                if (lost == null && hold.enter()) {
                    return new Pending(CompletableFuture.completedFuture(hold), null);
                }
                return new Pending(CompletableFuture.failedFuture(lost != null ? lost : lostCause(hold)), null);
            }
            if (current != null) {
                return new Pending(CompletableFuture.failedFuture(new IllegalStateException(
                        holder + " is already acquiring " + describe())), null);
            }
            long effective = leaseMillis > 0 ? leaseMillis : watchdogLeaseMillis;
            acquisition = new GroupAcquisition(this, holder, ownerThread, leaseMillis, effective, waitNanos);
            holders.put(holder, acquisition);
        }
        acquisition.start();
        return new Pending(acquisition.result(), acquisition);
    }

    /** The acquisition was granted: the hold replaces it in the registry, unless it was closed meanwhile. */
    boolean granted(GroupAcquisition acquisition, GroupHold hold) {
        synchronized (holders) {
            if (closed || holders.get(hold.holder) != acquisition) {
                return false;
            }
            holders.put(hold.holder, hold);
        }
        if (hold.ownerThread != null) {
            watchThread(hold);
        }
        return true;
    }

    /** The acquisition ended without a hold. */
    void ended(GroupAcquisition acquisition) {
        synchronized (holders) {
            holders.values().remove(acquisition);
        }
    }

    /** A hold with an explicit lease that has run out is lost; returns the cause, or null if it is not. */
    private LockLostException expired(GroupHold hold) {
        if (!hold.renewed && hold.state() == io.holdfast.LeaseState.ACTIVE && hold.validUntilNanos() - ctx.now() <= 0) {
            return hold.markLost("its lease of the " + policy.label() + " ran out", false, true);
        }
        return null;
    }

    private LockLostException lostCause(GroupHold hold) {
        LockLostException cause = hold.lostCause();
        return cause != null ? cause : new LockLostException(name, "the hold is no longer active");
    }

    private void watchThread(GroupHold hold) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = ctx.scheduler.scheduleWithFixedDelay(() -> {
            boolean registered;
            synchronized (holders) {
                registered = holders.get(hold.holder) == hold;
                if (registered && !hold.ownerThread.isAlive()) {
                    holders.remove(hold.holder);
                    registered = false;
                    if (hold.startReleasing()) {
                        releaseMembers(hold).thenRun(hold::released);
                    }
                }
            }
            if (!registered && self[0] != null) {
                self[0].cancel(false);
            }
        }, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    // --- release ---

    /** Releases one level of {@code holder}'s hold (see the class comment, "Release"). */
    CompletableFuture<Void> release(Holder holder) {
        GroupHold hold;
        int left;
        synchronized (holders) {
            Object current = holders.get(holder);
            if (!(current instanceof GroupHold h)) {
                return CompletableFuture.failedFuture(new IllegalMonitorStateException(
                        describe() + " is not held by " + holder));
            }
            hold = h;
            left = hold.leave();
            if (left <= 0) {
                holders.remove(holder);
            }
        }
        LockLostException lost = hold.state() == io.holdfast.LeaseState.LOST ? lostCause(hold) : expired(hold);
        if (lost != null) {
            return CompletableFuture.failedFuture(lost);
        }
        if (left > 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (!hold.startReleasing()) {
            return CompletableFuture.failedFuture(lostCause(hold));
        }
        return releaseMembers(hold).thenAccept(released -> {
            if (released < policy.needed()) {
                throw hold.markLost("at unlock only " + released + " of " + members.size() + " members still held it, "
                        + policy.needed() + " needed", true, false);
            }
            hold.released();
        });
    }

    /**
     * Releases the hold's members, the first one still held (in member order) last; completes with
     * how many still had it.
     */
    private CompletableFuture<Integer> releaseMembers(GroupHold hold) {
        Lease[] leases = hold.members();
        int first = -1;
        for (int i = 0; i < leases.length && first < 0; i++) {
            if (leases[i] != null && leases[i].state() == io.holdfast.LeaseState.ACTIVE) {
                first = i; // the first member still held: where waiters queue
            }
        }
        List<CompletableFuture<Boolean>> others = new ArrayList<>();
        for (int i = 0; i < leases.length; i++) {
            if (leases[i] == null) {
                continue;
            }
            if (first < 0) {
                first = i;
            } else if (i != first) {
                others.add(releaseMember(i, hold.memberOwner));
            }
        }
        int last = first;
        return CompletableFuture.allOf(others.toArray(CompletableFuture[]::new))
                .thenCompose(v -> releaseMember(last, hold.memberOwner))
                .thenApply(lastReleased -> (lastReleased ? 1 : 0) + (int) others.stream().filter(CompletableFuture::join).count());
    }

    /** Releases member {@code i}'s hold of {@code owner}; completes with whether it still had it, never fails. */
    CompletableFuture<Boolean> releaseMember(int i, long owner) {
        try {
            return members.get(i).unlockAsync(owner).handle((v, e) -> e == null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    // --- closing ---

    /** The client is closing: acquisitions in progress fail at once. */
    void close() {
        List<GroupAcquisition> running = new ArrayList<>();
        synchronized (holders) {
            closed = true;
            holders.values().forEach(v -> {
                if (v instanceof GroupAcquisition a) {
                    running.add(a);
                }
            });
        }
        running.forEach(GroupAcquisition::closed);
    }

    // --- RLock: blocking ---

    @Override
    public void lock() {
        awaitUninterruptibly(start(WATCHDOG, -1).result(), "acquiring");
    }

    @Override
    public void lock(long leaseTime, TimeUnit unit) {
        awaitUninterruptibly(start(leaseMillis(leaseTime, unit, false), -1).result(), "acquiring");
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
        return awaitUninterruptibly(start(WATCHDOG, 0).result(), "acquiring") != null;
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
        return awaitInterruptibly(start(lease, waitNanos(waitTime, unit))) != null;
    }

    @Override
    public void unlock() {
        awaitUninterruptibly(release(Holder.ofThread(Thread.currentThread())), "unlocking");
    }

    /**
     * Force-unlocks every member at once (see {@link RLock#forceUnlock()}); this object's own holds of
     * the lock are lost at once.
     *
     * @return whether at least {@link Policy#needed()} members were held
     */
    @Override
    public boolean forceUnlock() {
        checkOpen();
        List<GroupHold> local = new ArrayList<>();
        synchronized (holders) {
            holders.values().forEach(v -> {
                if (v instanceof GroupHold h) {
                    local.add(h);
                }
            });
        }
        // lost first, without giving members back: a member lost to the force-unlock must not make
        // the hold release its other members before they are counted as held
        local.forEach(h -> h.markLost(describe() + " was force-unlocked", false, false));
        List<Object> answers;
        try {
            answers = onAll(RLock::forceUnlock);
        } finally {
            local.forEach(GroupHold::releaseLiveMembers); // members the force-unlock did not reach
        }
        return answers.stream().filter(Boolean.TRUE::equals).count() >= policy.needed();
    }

    /**
     * Asks every member at once.
     *
     * @return {@code true} if at least {@link Policy#needed()} members are locked (by anyone)
     * @throws RedisUnavailableException if too few members answered to tell
     */
    @Override
    public boolean isLocked() {
        checkOpen();
        List<Object> answers = onAll(RLock::isLocked);
        long locked = answers.stream().filter(Boolean.TRUE::equals).count();
        long free = answers.stream().filter(Boolean.FALSE::equals).count();
        if (locked >= policy.needed()) {
            return true;
        }
        if (free > members.size() - policy.needed()) {
            return false;
        }
        throw unavailable("reading", answers);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return isHeldByThread(Thread.currentThread().getId());
    }

    @Override
    public boolean isHeldByThread(long threadId) {
        return hold(new Holder(true, threadId)).map(GroupHold::isValid).orElse(false);
    }

    @Override
    public int getHoldCount() {
        return hold(Holder.ofThread(Thread.currentThread())).filter(GroupHold::isValid).map(GroupHold::count).orElse(0);
    }

    /**
     * Asks every member at once.
     *
     * @return -2 if fewer than {@link Policy#needed()} members are held; otherwise how long, in ms,
     *     that many members stay held ({@code -1}: without expiry)
     * @throws RedisUnavailableException if too few members answered to tell
     */
    @Override
    public long remainTimeToLive() {
        checkOpen();
        List<Object> answers = onAll(RLock::remainTimeToLive);
        List<Long> held = new ArrayList<>();
        long notHeld = 0;
        for (Object a : answers) {
            if (a instanceof Long ttl) {
                if (ttl == -2) {
                    notHeld++;
                } else {
                    held.add(ttl == -1 ? Long.MAX_VALUE : ttl);
                }
            }
        }
        if (held.size() >= policy.needed()) {
            held.sort(java.util.Comparator.reverseOrder());
            long ttl = held.get(policy.needed() - 1);
            return ttl == Long.MAX_VALUE ? -1 : ttl;
        }
        if (notHeld > members.size() - policy.needed()) {
            return -2;
        }
        throw unavailable("reading", answers);
    }

    @Override
    public Optional<Lease> currentLease() {
        return hold(Holder.ofThread(Thread.currentThread())).map(GroupLease::new);
    }

    // --- RLock: async ---

    @Override
    public CompletableFuture<Lease> lockAsync(long owner, long leaseTime, TimeUnit unit) {
        return startAsync(owner, leaseMillis(leaseTime, unit, true), -1, h -> new GroupLease(h));
    }

    @Override
    public CompletableFuture<Optional<Lease>> tryLockAsync(long owner, long waitTime, long leaseTime, TimeUnit unit) {
        long lease = leaseMillis(leaseTime, unit, true);
        return startAsync(owner, lease, waitNanos(waitTime, unit), h -> Optional.ofNullable(h).map(GroupLease::new));
    }

    @Override
    public CompletableFuture<Void> unlockAsync(long owner) {
        return release(Holder.ofOwner(owner)).thenApplyAsync(Function.identity(), ctx.callbacks);
    }

    private <T> CompletableFuture<T> startAsync(long owner, long leaseMillis, long waitNanos, Function<GroupHold, T> reply) {
        Pending p = acquire(Holder.ofOwner(owner), null, leaseMillis, waitNanos);
        CompletableFuture<T> out = p.result().thenApplyAsync(reply, ctx.callbacks);
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                p.cancel();
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "GroupLock[" + describe() + ", " + members.size() + " members, " + policy.needed() + " needed]";
    }

    // --- helpers ---

    private Pending start(long leaseMillis, long waitNanos) {
        Thread t = Thread.currentThread();
        return acquire(Holder.ofThread(t), t, leaseMillis, waitNanos);
    }

    private Optional<GroupHold> hold(Holder holder) {
        synchronized (holders) {
            return holders.get(holder) instanceof GroupHold h ? Optional.of(h) : Optional.empty();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this quorum client is closed");
        }
    }

    /** Runs {@code query} on every member at once; each answer, or the exception it threw. */
    private List<Object> onAll(Function<RLock, ?> query) {
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (RLock m : members) {
            calls.add(CompletableFuture.supplyAsync(() -> query.apply(m), ctx.callbacks)
                    .handle((v, e) -> e == null ? v : GroupAcquisition.unwrap(e)));
        }
        List<Object> answers = calls.stream().map(CompletableFuture::join).toList();
        answers.stream().filter(a -> a instanceof IllegalStateException).findFirst().ifPresent(a -> {
            throw (IllegalStateException) a; // a member client was closed
        });
        return answers;
    }

    private RedisUnavailableException unavailable(String doing, List<Object> answers) {
        StringBuilder m = new StringBuilder(doing + " " + describe() + ": too few members answered");
        Throwable first = null;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i) instanceof Throwable t) {
                m.append("; ").append(memberLabel(i)).append(": ").append(t.getMessage());
                first = first == null ? t : first;
            }
        }
        return new RedisUnavailableException(m.toString(), first);
    }

    private GroupHold awaitInterruptibly(Pending p) throws InterruptedException {
        try {
            return p.result().get();
        } catch (InterruptedException e) {
            awaitUninterruptibly(p.cancel(), "cancelling");
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Waits for {@code f} ignoring interrupts, then sets the interrupt flag again if one came. */
    private <T> T awaitUninterruptibly(CompletableFuture<T> f, String doing) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        Throwable t = GroupAcquisition.unwrap(e);
        if (t instanceof RuntimeException r) {
            return r;
        }
        return new CompletionException(t);
    }

    /**
     * {@code > 0} within [{@link RLock#MIN_LEASE_MILLIS}, {@link RLock#MAX_LEASE_MILLIS}] stays;
     * {@code < 0} (only if allowed) means watchdog; anything else is refused, as the members would.
     */
    static long leaseMillis(long leaseTime, TimeUnit unit, boolean negativeMeansWatchdog) {
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
    static long waitNanos(long waitTime, TimeUnit unit) {
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(waitTime);
        return nanos >= RLock.MAX_WAIT_NANOS ? -1 : Math.max(0, nanos);
    }
}
