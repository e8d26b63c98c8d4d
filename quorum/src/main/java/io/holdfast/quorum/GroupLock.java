package io.holdfast.quorum;

import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.quorum.Group.Pending;
import io.holdfast.quorum.GroupHold.GroupLease;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An {@link RLock} made of member {@link RLock}s, held when {@link Policy#needed()} of them are: the
 * quorum lock (the same name on N independent masters, a majority needed) and the multi-lock (any
 * locks, all needed). Its bookkeeping: {@link Group}; acquisition: {@link GroupAcquisition}; a hold,
 * its validity and its loss: {@link GroupHold}. It keeps no state of its own.
 *
 * <p><b>Queries</b> ({@link #isHeldByCurrentThread}, {@link #isHeldByThread},
 * {@link #getHoldCount}) answer from the registry and the hold's validity, without a round trip:
 * member holds are taken with owner tokens, which the members' queries (by thread) cannot see.
 * {@link #isLocked}, {@link #remainTimeToLive} and {@link #forceUnlock} ask every member at once.
 */
final class GroupLock implements RLock {

    private static final long WATCHDOG = -1;

    private final Group group;

    GroupLock(Group group) {
        this.group = group;
    }

    @Override
    public String getName() {
        return group.name;
    }

    // --- RLock: blocking ---

    @Override
    public void lock() {
        Blocking.awaitUninterruptibly(start(WATCHDOG, -1).result(), "acquiring");
    }

    @Override
    public void lock(long leaseTime, TimeUnit unit) {
        Blocking.awaitUninterruptibly(start(Blocking.leaseMillis(leaseTime, unit, false), -1).result(), "acquiring");
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        lockInterruptibly(WATCHDOG);
    }

    @Override
    public void lockInterruptibly(long leaseTime, TimeUnit unit) throws InterruptedException {
        lockInterruptibly(Blocking.leaseMillis(leaseTime, unit, false));
    }

    private void lockInterruptibly(long leaseMillis) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Blocking.awaitInterruptibly(start(leaseMillis, -1));
    }

    @Override
    public boolean tryLock() {
        return Blocking.awaitUninterruptibly(start(WATCHDOG, 0).result(), "acquiring") != null;
    }

    @Override
    public boolean tryLock(long waitTime, TimeUnit unit) throws InterruptedException {
        return tryLock(waitTime, -1, unit);
    }

    @Override
    public boolean tryLock(long waitTime, long leaseTime, TimeUnit unit) throws InterruptedException {
        long lease = Blocking.leaseMillis(leaseTime, unit, true);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return Blocking.awaitInterruptibly(start(lease, Blocking.waitNanos(waitTime, unit))) != null;
    }

    @Override
    public void unlock() {
        Blocking.awaitUninterruptibly(group.release(Holder.ofThread(Thread.currentThread())), "unlocking");
    }

    /**
     * Force-unlocks every member at once (see {@link RLock#forceUnlock()}); this object's own holds of
     * the lock are lost at once.
     *
     * @return whether at least {@link Policy#needed()} members were held
     */
    @Override
    public boolean forceUnlock() {
        group.checkOpen();
        List<GroupHold> local = group.localHolds();
        // lost first, without giving members back: a member lost to the force-unlock must not make
        // the hold release its other members before they are counted as held
        local.forEach(h -> h.markLost(group.describe() + " was force-unlocked", false, false));
        List<Object> answers;
        try {
            answers = onAll(RLock::forceUnlock);
        } finally {
            local.forEach(GroupHold::releaseLiveMembers); // members the force-unlock did not reach
        }
        return answers.stream().filter(Boolean.TRUE::equals).count() >= group.policy.needed();
    }

    /**
     * Asks every member at once.
     *
     * @return {@code true} if at least {@link Policy#needed()} members are locked (by anyone)
     * @throws RedisUnavailableException if too few members answered to tell
     */
    @Override
    public boolean isLocked() {
        group.checkOpen();
        List<Object> answers = onAll(RLock::isLocked);
        long locked = answers.stream().filter(Boolean.TRUE::equals).count();
        long free = answers.stream().filter(Boolean.FALSE::equals).count();
        if (locked >= group.policy.needed()) {
            return true;
        }
        if (free > group.members.size() - group.policy.needed()) {
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
        return group.hold(new Holder(true, threadId)).map(GroupHold::isValid).orElse(false);
    }

    @Override
    public int getHoldCount() {
        return group.hold(Holder.ofThread(Thread.currentThread())).filter(GroupHold::isValid).map(GroupHold::count).orElse(0);
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
        group.checkOpen();
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
        if (held.size() >= group.policy.needed()) {
            held.sort(java.util.Comparator.reverseOrder());
            long ttl = held.get(group.policy.needed() - 1);
            return ttl == Long.MAX_VALUE ? -1 : ttl;
        }
        if (notHeld > group.members.size() - group.policy.needed()) {
            return -2;
        }
        throw unavailable("reading", answers);
    }

    @Override
    public Optional<Lease> currentLease() {
        return group.hold(Holder.ofThread(Thread.currentThread())).map(GroupLease::new);
    }

    // --- RLock: async ---

    @Override
    public CompletableFuture<Lease> lockAsync(long owner, long leaseTime, TimeUnit unit) {
        return startAsync(owner, Blocking.leaseMillis(leaseTime, unit, true), -1, h -> new GroupLease(h));
    }

    @Override
    public CompletableFuture<Optional<Lease>> tryLockAsync(long owner, long waitTime, long leaseTime, TimeUnit unit) {
        long lease = Blocking.leaseMillis(leaseTime, unit, true);
        return startAsync(owner, lease, Blocking.waitNanos(waitTime, unit), h -> Optional.ofNullable(h).map(GroupLease::new));
    }

    @Override
    public CompletableFuture<Void> unlockAsync(long owner) {
        return group.release(Holder.ofOwner(owner)).thenApplyAsync(Function.identity(), group.ctx.callbacks);
    }

    private <T> CompletableFuture<T> startAsync(long owner, long leaseMillis, long waitNanos, Function<GroupHold, T> reply) {
        Pending p = group.acquire(Holder.ofOwner(owner), null, leaseMillis, waitNanos);
        CompletableFuture<T> out = p.result().thenApplyAsync(reply, group.ctx.callbacks);
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                p.cancel();
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "GroupLock[" + group.describe() + ", " + group.members.size() + " members, " + group.policy.needed() + " needed]";
    }

    // --- helpers ---

    private Pending start(long leaseMillis, long waitNanos) {
        Thread t = Thread.currentThread();
        return group.acquire(Holder.ofThread(t), t, leaseMillis, waitNanos);
    }

    /** Runs {@code query} on every member at once; each answer, or the exception it threw. */
    private List<Object> onAll(Function<RLock, ?> query) {
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (RLock m : group.members) {
            calls.add(CompletableFuture.supplyAsync(() -> query.apply(m), group.ctx.callbacks)
                    .handle((v, e) -> e == null ? v : GroupAcquisition.unwrap(e)));
        }
        List<Object> answers = calls.stream().map(CompletableFuture::join).toList();
        if (group.policy.needed() == group.members.size()) {
            // the multi-lock: a member whose client was closed cannot be read, so neither can the lock;
            // the quorum lock counts such a master as one that did not answer
            answers.stream().filter(a -> a instanceof IllegalStateException).findFirst().ifPresent(a -> {
                throw (IllegalStateException) a;
            });
        }
        return answers;
    }

    private RedisUnavailableException unavailable(String doing, List<Object> answers) {
        StringBuilder m = new StringBuilder(doing + " " + group.describe() + ": too few members answered");
        Throwable first = null;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i) instanceof Throwable t) {
                m.append("; ").append(group.memberLabel(i)).append(": ").append(t.getMessage());
                first = first == null ? t : first;
            }
        }
        return new RedisUnavailableException(m.toString(), first);
    }
}
