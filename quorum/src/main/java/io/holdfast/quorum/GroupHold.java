package io.holdfast.quorum;

import io.holdfast.Lease;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hold of a group lock: the member holds it was granted with (each at level 1, each taken with
 * an owner token of its own attempt), its level count, and its state.
 *
 * <p>States (as {@link LeaseState}): ACTIVE from the grant; RELEASING while the last unlock releases
 * the members; RELEASED after it; LOST as soon as fewer than {@link Policy#needed()} member holds are
 * still live (a member's {@code whenLost()} fired: its lease ran out unrenewed, its key vanished,
 * it was force-unlocked); when the validity deadline comes and renewals have not moved it (an
 * explicit lease ran out; a member's client stopped renewing without reporting a loss, e.g. it was
 * closed; the shares are late by more than the drift allowance); on {@code forceUnlock()}; or at
 * the last unlock if too few members still had the hold. LOST is entered once: the listener
 * fires, {@link #whenLost()} completes, and the member holds still live are released at once (a
 * minority is of no use to the holder and would keep others waiting; after a force-unlock, once
 * the force-unlock has answered). Every unlock of a lost hold throws
 * {@link LockLostException}, one per level; then it is forgotten.
 *
 * <p>Validity: the {@code needed}-th latest validity deadline among the live member holds (each
 * member's own: its last successful acquire or renewal's send time + its lease), less the drift
 * allowance. At the grant this is at most {@code start + lease - drift}, where {@code start} is
 * when the attempts were sent: Redlock's "lease − elapsed − drift". Renewals move it forward.
 */
final class GroupHold {

    private static final Logger log = LoggerFactory.getLogger(GroupHold.class);

    final Group lock;
    final Holder holder;
    final Thread ownerThread;
    /** The owner token each member hold was taken with (by member; 0 where none). */
    private final long[] memberOwners;
    final boolean renewed;
    final long driftNanos;
    private final Lease[] members;
    private final long token;
    private final CompletableFuture<LockLostException> lost = new CompletableFuture<>();
    /** Guarded by {@code this}. */
    private int count = 1;
    private volatile LeaseState state = LeaseState.ACTIVE;
    private volatile LockLostException lostCause;
    private volatile long lostAtNanos;
    /** The validity check scheduled, cancelled once the hold is released or lost. */
    private volatile ScheduledFuture<?> validityCheck;
    /** Once LOST: the validity the hold had when it was found lost, never later than that moment. */
    private volatile long validAtLossNanos;

    GroupHold(Group lock, Holder holder, Thread ownerThread, long[] memberOwners, boolean renewed, long driftNanos,
            Lease[] members) {
        this.lock = lock;
        this.holder = holder;
        this.ownerThread = ownerThread;
        this.memberOwners = memberOwners.clone();
        this.renewed = renewed;
        this.driftNanos = driftNanos;
        this.members = members.clone();
        long max = Long.MIN_VALUE;
        for (Lease m : members) {
            max = m != null ? Math.max(max, m.fencingToken()) : max;
        }
        this.token = max;
    }

    /**
     * Starts watching the member holds: any loss is counted at once, and the validity deadline is
     * checked when it comes (see {@link #checkValidity()}).
     */
    void watch() {
        for (int i = 0; i < members.length; i++) {
            int member = i;
            if (members[i] != null) {
                members[i].whenLost().thenAccept(cause -> memberLost(member, cause));
            }
        }
        scheduleValidityCheck();
    }

    private void scheduleValidityCheck() {
        if (state != LeaseState.ACTIVE) {
            return;
        }
        validityCheck = lock.ctx.schedule(this::checkValidity, validUntilNanos() - lock.ctx.now()); // not once closed
    }

    /** Stops the timer of this hold (its validity check): it is released or lost. */
    private void stopTimers() {
        ScheduledFuture<?> check = validityCheck;
        if (check != null) {
            check.cancel(false);
        }
    }

    /**
     * The validity deadline has come: if renewals moved it, checks again at the new one; if not,
     * the hold is lost although no member reported it (an explicit lease ran out; or a member's
     * client stopped renewing without reporting a loss, e.g. it was closed; or a majority's shares
     * are late by more than the drift allowance).
     */
    private void checkValidity() {
        if (state != LeaseState.ACTIVE) {
            return;
        }
        if (validUntilNanos() - lock.ctx.now() > 0) {
            scheduleValidityCheck();
            return;
        }
        markLost(renewed ? "not renewed in time on " + lock.policy.needed() + " of " + members.length
                + " members (its validity ended)" : "its lease of the " + lock.policy.label() + " ran out", false, true);
    }

    /** The maximum of the granted members' fencing tokens (see {@link QuorumHoldfast}, "Fencing"). */
    long fencingToken() {
        return token;
    }

    /**
     * The state now. A hold still ACTIVE whose members already know that too few of them are live
     * is found LOST here, at once, rather than when their loss callbacks arrive (they run a thread
     * hop later): what the caller reads agrees with the members.
     */
    LeaseState state() {
        if (state == LeaseState.ACTIVE) {
            int live = liveMembers();
            if (live < lock.policy.needed()) {
                markLost(tooFew(live, "members' leases are lost"), false, true);
            }
        }
        return state;
    }

    private String tooFew(int live, String why) {
        return lock.policy.label() + " needs " + lock.policy.needed() + " of " + members.length
                + " members and only " + live + " still hold it (" + why + ")";
    }

    /** The owner token member {@code i}'s hold was taken with. */
    long memberOwner(int i) {
        return memberOwners[i];
    }

    /** The member holds granted (null where none), in the lock's member order. */
    Lease[] members() {
        return members.clone();
    }

    int liveMembers() {
        int live = 0;
        for (Lease m : members) {
            if (m != null && (m.state() == LeaseState.ACTIVE || m.state() == LeaseState.RELEASING)) {
                live++;
            }
        }
        return live;
    }

    /**
     * See the class comment, "Validity"; once lost, the validity it had when it was found lost, at
     * most that moment (a loss found late, e.g. after the holder's process was paused, must not
     * stretch it: the deadline had passed, and another client may hold the lock since).
     */
    long validUntilNanos() {
        if (state == LeaseState.LOST) {
            return validAtLossNanos;
        }
        return validityCounting(-1);
    }

    /** The validity from the live members, and member {@code also} (the one whose loss is being handled), if any. */
    private long validityCounting(int also) {
        long[] live = new long[members.length];
        int n = 0;
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null && (i == also || members[i].state() != LeaseState.LOST)) {
                live[n++] = members[i].validUntilNanos();
            }
        }
        int needed = lock.policy.needed();
        if (n < needed) {
            return Long.MIN_VALUE / 2;
        }
        Arrays.sort(live, 0, n);
        return live[n - needed] - driftNanos;
    }

    boolean isValid() {
        return state() == LeaseState.ACTIVE && validUntilNanos() - lock.ctx.now() > 0;
    }

    CompletionStage<LockLostException> whenLost() {
        return lost.minimalCompletionStage();
    }

    /** Re-entry: one more level, unless the hold is lost. */
    synchronized boolean enter() {
        if (state() != LeaseState.ACTIVE) {
            return false;
        }
        count++;
        return true;
    }

    /** Takes one level off; returns the levels left. */
    synchronized int leave() {
        return --count;
    }

    synchronized int count() {
        return count;
    }

    LockLostException lostCause() {
        return lostCause;
    }

    /** The last level is being released. */
    synchronized boolean startReleasing() {
        if (state != LeaseState.ACTIVE) {
            return false;
        }
        state = LeaseState.RELEASING;
        return true;
    }

    void released() {
        state = LeaseState.RELEASED;
        stopTimers();
    }

    /**
     * The client is closing and gives this hold back (its members' clients stay open, see
     * {@link QuorumHoldfast#close()}): RELEASED at once, not LOST (closing is the holder's own
     * doing, as for a {@code Holdfast} closed under a hold: {@link #whenLost()} never completes),
     * then its live members are released.
     *
     * @return completes when every member release has answered; never fails
     */
    CompletableFuture<Void> givenBackAtClose() {
        synchronized (this) {
            if (state != LeaseState.ACTIVE) {
                return releaseLiveMembers(); // lost, or being released: whatever is still live
            }
            state = LeaseState.RELEASED;
        }
        stopTimers();
        return releaseLiveMembers();
    }

    private void memberLost(int member, LockLostException cause) {
        int live = liveMembers();
        if (live < lock.policy.needed()) {
            markLost(tooFew(live, "member " + member + ": " + cause.getMessage()), false, true, member);
        }
    }

    /**
     * Enters LOST once (from ACTIVE, or from RELEASING when {@code atRelease}): records the cause,
     * releases the member holds still live (if {@code releaseMembers}), completes
     * {@link #whenLost()} and tells the listener, both on the callback executor.
     *
     * @return the cause (the first one if it was lost already)
     */
    LockLostException markLost(String reason, boolean atRelease, boolean releaseMembers) {
        return markLost(reason, atRelease, releaseMembers, -1);
    }

    private LockLostException markLost(String reason, boolean atRelease, boolean releaseMembers, int lostMember) {
        LockLostException cause;
        synchronized (this) {
            if (state == LeaseState.LOST || state == LeaseState.RELEASED
                    || state == LeaseState.RELEASING && !atRelease) {
                return lostCause;
            }
            cause = new LockLostException(lock.getName(), reason);
            lostCause = cause;
            lostAtNanos = lock.ctx.now();
            validAtLossNanos = Math.min(lostAtNanos, validityCounting(lostMember));
            state = LeaseState.LOST;
        }
        ScheduledFuture<?> check = validityCheck;
        if (check != null) {
            check.cancel(false); // the thread sweep goes on: a lost hold stays registered until unlocked
        }
        log.warn("{} (holder {}, fencing token {})", cause.getMessage(), holder, token);
        if (releaseMembers) {
            releaseLiveMembers();
        }
        GroupLease view = new GroupLease(this);
        Runnable tell = () -> {
            lost.complete(cause);
            try {
                lock.ctx.listener.leaseLost(view, cause);
            } catch (RuntimeException e) {
                log.warn("lease listener failed for {} '{}'", lock.policy.label(), lock.getName(), e);
            }
        };
        try {
            lock.ctx.callbacks.execute(tell);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            tell.run(); // the client is closed: its pool runs nothing more, the holder is still told
        }
        return cause;
    }

    /**
     * Gives back the member holds still live (a lost hold's minority is of no use).
     *
     * @return completes when every release has answered; never fails
     */
    CompletableFuture<Void> releaseLiveMembers() {
        java.util.List<CompletableFuture<Boolean>> releases = new java.util.ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null && members[i].state() == LeaseState.ACTIVE) {
                releases.add(lock.releaseMember(i, memberOwners[i]));
            }
        }
        return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new));
    }

    /** The user's view of a group hold. */
    static final class GroupLease implements Lease {
        private final GroupHold hold;

        GroupLease(GroupHold hold) {
            this.hold = hold;
        }

        @Override
        public String lockName() {
            return hold.lock.getName();
        }

        @Override
        public long fencingToken() {
            return hold.token;
        }

        @Override
        public LeaseState state() {
            return hold.state();
        }

        @Override
        public long validUntilNanos() {
            return hold.validUntilNanos();
        }

        @Override
        public long remaining(TimeUnit unit) {
            return unit.convert(Math.max(0, hold.validUntilNanos() - hold.lock.ctx.now()), TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean isValid() {
            return hold.isValid();
        }

        @Override
        public boolean isRenewed() {
            return hold.renewed;
        }

        @Override
        public CompletionStage<LockLostException> whenLost() {
            return hold.whenLost();
        }

        @Override
        public String toString() {
            return hold.lock.policy.label() + " lease[" + lockName() + ", " + hold.holder + ", token " + hold.token + ", "
                    + hold.state + ", " + hold.liveMembers() + " live members]";
        }
    }
}
