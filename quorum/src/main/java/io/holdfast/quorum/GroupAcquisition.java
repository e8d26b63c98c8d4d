package io.holdfast.quorum;

import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One fresh acquisition of a group lock: the wait loop shared by the quorum lock and the
 * multi-lock.
 *
 * <p><b>Algorithm.</b> A <em>round</em> sends one attempt to every member not held yet, all at
 * once, each with zero wait ({@code tryLockAsync(memberOwner, 0, lease)}: one script call, never a
 * place in a member's queue) and each cut off after the member timeout (far below the lease). When
 * every attempt has answered or been cut off:
 * <ul>
 *   <li>enough members granted ({@link Policy#needed()}) and the validity left (see
 *       {@link GroupHold}) is positive: the hold is granted;</li>
 *   <li>too many members failed with an error for {@code needed} to be reachable: every member
 *       hold is released and the acquisition fails with {@link RedisUnavailableException} naming
 *       each failure;</li>
 *   <li>otherwise every member hold taken is released (and awaited), and the acquisition waits.
 *       A member cut off by the timeout is cancelled: its member lock gives back a grant that
 *       arrives late (it releases it, or undoes it once the server answers again), so a slow node
 *       is released as well.</li>
 * </ul>
 * <b>Waiting</b> happens on one member only, the <em>gate</em>: the first member, in the lock's
 * member order, that the round found busy. There the acquisition waits as a normal queued waiter
 * ({@code tryLockAsync(memberOwner, remaining wait, lease)}): it sleeps until the member's release
 * hands the member over to it (a pub/sub message) or the member's lease runs out, never polling.
 * Holding the gate, it runs a round on the other members. Every waiter picks the same gate (the
 * holder's first member), so the gate's server-side FIFO queue orders the waiters and they do not
 * split the vote among themselves; the holder releases its first member last (see
 * {@link GroupLock}), so the waiter handed the gate finds the others free. A round that took some
 * members but not enough (a split with a newcomer, or a holder's release still in flight) backs
 * off for a random time up to {@link Policy#backoffMillis()} before it waits again.
 *
 * <p><b>Cancellation</b>: {@link #cancel()} sets a flag and cancels the attempts in flight; the
 * next step releases whatever is held and completes the result with a
 * {@link CancellationException}.
 */
final class GroupAcquisition {

    private final GroupLock lock;
    private final Holder holder;
    private final Thread ownerThread;
    /** The lease asked for: {@code > 0} explicit, {@code -1} renewed by the members' watchdogs. */
    private final long leaseMillis;
    private final long effectiveLeaseMillis;
    private final long deadline;
    private final boolean noWait;
    private final long memberOwner;
    private final Lease[] granted;
    private final CompletableFuture<GroupHold> result = new CompletableFuture<>();
    private final List<Future<?>> inFlight = new ArrayList<>();
    private volatile boolean cancelled;
    /** Rounds in a row in which fewer members answered than are needed, and since when (only the step in turn touches these). */
    private int shortRounds;
    private long shortSince;

    GroupAcquisition(GroupLock lock, Holder holder, Thread ownerThread, long leaseMillis, long effectiveLeaseMillis,
            long waitNanos) {
        this.lock = lock;
        this.holder = holder;
        this.ownerThread = ownerThread;
        this.leaseMillis = leaseMillis;
        this.effectiveLeaseMillis = effectiveLeaseMillis;
        this.noWait = waitNanos == 0;
        this.deadline = waitNanos < 0 ? Long.MAX_VALUE : lock.ctx.now() + waitNanos;
        this.memberOwner = lock.ctx.nextMemberOwner();
        this.granted = new Lease[lock.members.size()];
    }

    /** Completes with the hold, with null if the wait time elapsed, or with the failure. */
    CompletableFuture<GroupHold> result() {
        return result;
    }

    void start() {
        round();
    }

    /**
     * Stops the acquisition; the returned future completes once nothing it took is held (if it had
     * already been granted, that level is released).
     */
    CompletableFuture<Void> cancel() {
        cancelled = true;
        synchronized (inFlight) {
            inFlight.forEach(f -> f.cancel(true));
        }
        return result.handle((hold, e) -> hold).thenCompose(hold -> hold == null
                ? CompletableFuture.<Void>completedFuture(null)
                : lock.release(holder).handle((v, e) -> null));
    }

    /** The client is closing: fail now. */
    void closed() {
        cancelled = true;
        fail(new IllegalStateException("the quorum client was closed while acquiring " + lock.describe()));
    }

    private enum Answer { GRANTED, BUSY, NO_ANSWER, FAILED }

    private record Outcome(Answer answer, Lease lease, Throwable error) {
    }

    private void round() {
        if (stopIfCancelled()) {
            return;
        }
        List<CompletableFuture<Outcome>> attempts = new ArrayList<>();
        for (int i = 0; i < granted.length; i++) {
            attempts.add(granted[i] != null ? CompletableFuture.completedFuture(new Outcome(Answer.GRANTED, granted[i], null))
                    : attempt(lock.members.get(i)));
        }
        CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).whenComplete((v, e) ->
                afterRound(attempts.stream().map(CompletableFuture::join).toList()));
    }

    /** One zero-wait attempt on {@code member}, cut off after the member timeout. */
    private CompletableFuture<Outcome> attempt(RLock member) {
        CompletableFuture<Optional<Lease>> f;
        try {
            f = member.tryLockAsync(memberOwner, 0, leaseArgNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(classify(e));
        }
        track(f);
        java.util.concurrent.ScheduledFuture<?> cutOff =
                lock.ctx.schedule(() -> f.cancel(true), lock.policy.memberTimeoutNanos(effectiveLeaseMillis));
        f.whenComplete((v, e) -> cutOff.cancel(false));
        return f.handle((lease, e) -> e != null ? classify(e)
                : lease.isPresent() ? new Outcome(Answer.GRANTED, lease.get(), null) : new Outcome(Answer.BUSY, null, null));
    }

    private void afterRound(List<Outcome> outcomes) {
        int grantedCount = 0;
        int busy = 0;
        int gate = -1;
        List<String> problems = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            switch (o.answer()) {
                case GRANTED -> {
                    granted[i] = o.lease();
                    grantedCount++;
                }
                case BUSY -> {
                    busy++;
                    gate = gate < 0 ? i : gate;
                }
                case FAILED -> {
                    errors.add(o.error());
                    problems.add(lock.memberLabel(i) + ": " + o.error().getMessage());
                }
                case NO_ANSWER -> problems.add(lock.memberLabel(i) + ": no answer within "
                        + TimeUnit.NANOSECONDS.toMillis(lock.policy.memberTimeoutNanos(effectiveLeaseMillis)) + " ms");
            }
        }
        if (cancelled) {
            releaseAll().whenComplete((v, e) -> stopIfCancelled());
            return;
        }
        Throwable fatal = errors.stream().filter(GroupAcquisition::isFatal).findFirst().orElse(null);
        if (fatal != null) {
            releaseAll().whenComplete((v, e) -> fail(fatal));
            return;
        }
        int needed = lock.policy.needed();
        if (grantedCount >= needed) {
            GroupHold hold = new GroupHold(lock, holder, ownerThread, memberOwner, leaseMillis < 0,
                    lock.policy.driftNanos(effectiveLeaseMillis), granted);
            if (hold.validUntilNanos() - lock.ctx.now() > 0) {
                succeed(hold);
                return;
            }
            // granted, but after the validity window had passed: give it all back and try again
        }
        int answered = grantedCount + busy;
        long now = lock.ctx.now();
        if (answered < needed) {
            shortRounds++;
            shortSince = shortRounds == 1 ? now : shortSince;
            if (errors.size() > granted.length - needed || noWait && shortRounds >= 2
                    || now - shortSince >= lock.policy.unavailableNanos()) {
                RedisUnavailableException e = unavailable(answered, problems, errors);
                releaseAll().whenComplete((v, x) -> fail(e));
                return;
            }
        } else {
            shortRounds = 0;
        }
        boolean backOff = grantedCount > 0 || answered < needed;
        int gateMember = answered < needed ? -1 : gate;
        releaseAll().whenComplete((v, e) -> {
            if (stopIfCancelled()) {
                return;
            }
            if (noWait ? answered >= needed : lock.ctx.now() - deadline >= 0) {
                complete(null);
            } else if (backOff) {
                lock.ctx.schedule(() -> waitAt(gateMember), GroupContext.backoffNanos(lock.policy.backoffMillis()));
            } else {
                waitAt(gateMember);
            }
        });
    }

    /**
     * Waits, queued, on member {@code gate} (if negative, no member was busy: the round only missed
     * answers, so it simply runs again) until it is handed over or the wait time elapses.
     */
    private void waitAt(int gate) {
        if (stopIfCancelled()) {
            return;
        }
        if (gate < 0) {
            round();
            return;
        }
        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - lock.ctx.now();
        if (left <= 0) {
            complete(null);
            return;
        }
        CompletableFuture<Optional<Lease>> f;
        try {
            f = lock.members.get(gate).tryLockAsync(memberOwner, left, leaseArgNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        track(f);
        f.whenComplete((lease, e) -> {
            if (e != null) {
                Outcome o = classify(e);
                if (o.answer() == Answer.FAILED && isFatal(o.error())) {
                    releaseAll().whenComplete((v, x) -> fail(o.error()));
                } else if (stopIfCancelled()) {
                    return;
                } else {
                    lock.ctx.schedule(this::round, GroupContext.backoffNanos(lock.policy.backoffMillis()));
                }
            } else if (lease.isEmpty()) {
                if (!stopIfCancelled()) {
                    complete(null);
                }
            } else {
                granted[gate] = lease.get();
                round();
            }
        });
    }

    private long leaseArgNanos() {
        return leaseMillis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(leaseMillis);
    }

    private void track(Future<?> f) {
        synchronized (inFlight) {
            inFlight.removeIf(Future::isDone);
            inFlight.add(f);
            if (cancelled) {
                f.cancel(true);
            }
        }
    }

    /** Releases every member hold taken; completes when all releases have answered. */
    private CompletableFuture<Void> releaseAll() {
        List<CompletableFuture<?>> releases = new ArrayList<>();
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] != null) {
                releases.add(lock.releaseMember(i, memberOwner));
                granted[i] = null;
            }
        }
        return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new));
    }

    private boolean stopIfCancelled() {
        if (!cancelled) {
            return false;
        }
        releaseAll().whenComplete((v, e) -> fail(new CancellationException("acquisition of " + lock.describe() + " cancelled")));
        return true;
    }

    private void succeed(GroupHold hold) {
        if (!lock.granted(this, hold)) {
            releaseAll(); // closed or cancelled meanwhile
            result.completeExceptionally(new CancellationException("acquisition of " + lock.describe() + " cancelled"));
            return;
        }
        hold.watch();
        result.complete(hold);
    }

    private void complete(GroupHold none) {
        lock.ended(this);
        result.complete(none);
    }

    private void fail(Throwable e) {
        lock.ended(this);
        result.completeExceptionally(e);
    }

    private RedisUnavailableException unavailable(int answered, List<String> problems, List<Throwable> errors) {
        StringBuilder m = new StringBuilder(lock.describe()).append(": only ").append(answered).append(" of ")
                .append(granted.length).append(" members answered and ").append(lock.policy.needed())
                .append(" are needed");
        for (String p : problems) {
            m.append("; ").append(p);
        }
        RedisUnavailableException e = new RedisUnavailableException(m.toString(), errors.isEmpty() ? null : errors.get(0));
        errors.stream().skip(1).forEach(e::addSuppressed);
        return e;
    }

    /**
     * A failure that ends the acquisition whatever the other members say: a member's client was
     * closed (the quorum client is being shut down).
     */
    private static boolean isFatal(Throwable e) {
        return e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("closed");
    }

    private static Outcome classify(Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof CancellationException) {
            return new Outcome(Answer.NO_ANSWER, null, cause);
        }
        if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("already acquiring")) {
            return new Outcome(Answer.NO_ANSWER, null, cause); // our own cut-off attempt is still in flight there
        }
        return new Outcome(Answer.FAILED, null, cause);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
