package io.holdfast.quorum;

import io.holdfast.HoldfastTimeoutException;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.spi.TakenTogether;
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
 * once, each with zero wait ({@code tryLockAsync(owner, 0, lease)}: one script call, never a
 * place in a member's queue) and each cut off after the member timeout (far below the lease). When
 * every attempt has answered or been cut off:
 * <ul>
 *   <li>enough members granted ({@link Policy#needed()}) and the validity left (see
 *       {@link GroupHold}) is positive: the hold is granted;</li>
 *   <li>too many members failed with an error for {@code needed} to be reachable, or rounds have
 *       had fewer than {@code needed} answers (grants and "busy") for
 *       {@link Policy#unavailableMillis()}: every member hold is released and the acquisition
 *       fails with {@link RedisUnavailableException} naming each member that failed or did not
 *       answer. A round short of answers before that is run again after a random back-off (a
 *       member cut off may only be slow);</li>
 *   <li>otherwise every member hold taken is released (and awaited), and the acquisition waits
 *       (a {@code tryLock()} without wait returns {@code false} instead).
 *       A member cut off by the timeout is cancelled: its member lock gives back a grant that
 *       arrives late (it releases it, or undoes it once the server answers again), so a slow node
 *       is released as well.</li>
 * </ul>
 * <b>Waiting</b> happens on one member only, the <em>gate</em>: the first member, in the lock's
 * member order, that the round found busy. There the acquisition waits as a normal queued waiter
 * ({@code tryLockAsync(owner, remaining wait, lease)}): it sleeps until the member's release
 * hands the member over to it (a pub/sub message) or the member's lease runs out, never polling.
 * Holding the gate, it runs a round on the other members. Every waiter picks the same gate (the
 * holder's first member), so the gate's server-side FIFO queue orders the waiters and they do not
 * split the vote among themselves; the holder sends the release of its first member last (see
 * {@link Group}), so the waiter handed the gate finds the others free. A round that took some
 * members but not enough (a split with a newcomer, or a holder's release still in flight) backs
 * off for a random time up to {@link Policy#backoffMillis()} before it waits again. The one
 * exception to "never hold while waiting": a waiter handed the gate by the gate's queue keeps it
 * while it tries the others again, each time after a random back-off of at most
 * {@link #GATE_RETRY_BACKOFF_MILLIS} ms, at most {@link #GATE_RETRIES} times;
 * a newcomer that split the vote with it meanwhile gives its members back, so the queue's choice
 * wins instead of both starting over. The hold kept is bounded in time, so it cannot deadlock.
 *
 * <p><b>First member first</b> ({@link Policy#firstMemberFirst()}, the multi-lock): the first
 * round tries the first member alone, and the others only once it is held, so that a newcomer that
 * finds it taken queues there without touching the others (the waiter the queue chooses would find
 * them taken). That costs an uncontended acquisition a second round trip, so while the lock's last
 * look found the first member free ({@link Group#firstMemberBusy()}) a round that holds nothing
 * tries every member at once; if the first member does not grant (taken, or its server does not
 * answer), the round gives back what it took (and, if it was taken, queues there at once, without
 * back-off: every newcomer picks that gate), and the lock takes the first member alone again until
 * an attempt finds it free. A round that holds a member (a gate kept while it retries) always takes
 * the first member alone first. The price: while the hint is stale, a newcomer may hold the
 * other members for one round (one round trip; up to the member timeout if the first member's
 * server stalls), and the waiter handed the first member retries them meanwhile (see above).
 *
 * <p><b>Members tried together</b> ({@link Group#togetherSets}): members not held yet that one script
 * call can take (one client, kind and slot) are tried by one all-or-none call
 * ({@link TakenTogether}) instead of one attempt each; the first busy one is the round's gate, the
 * others count as answered but not taken. When every member can go together
 * ({@link Group#allTogether()}), a round that holds nothing never takes the first member alone
 * first: the call itself takes none of them while one is busy, so a newcomer never holds the others.
 * A lock that needs every member (the multi-lock) runs no round while a member has not answered an
 * earlier attempt (a member is never asked twice at once): that round could not take all, so it
 * counts as a round without that member's answer, and asks nobody.
 *
 * <p><b>Cancellation</b>: {@link #cancel()} sets a flag and cancels the attempts in flight; the
 * next step releases whatever is held and completes the result with a
 * {@link CancellationException}.
 */
final class GroupAcquisition {

    /**
     * How many times an acquisition handed the gate by its queue retries the other members,
     * keeping the gate, before it gives everything back (bounded: a hold kept while trying others
     * is never kept long, so no cycle of such holds can deadlock).
     */
    static final int GATE_RETRIES = 5;

    /** The longest random back-off before such a retry, in ms. */
    static final long GATE_RETRY_BACKOFF_MILLIS = 3;

    private final Group lock;
    private final Holder holder;
    private final Thread ownerThread;
    /** The lease asked for: {@code > 0} explicit, {@code -1} renewed by the members' watchdogs. */
    private final long leaseMillis;
    private final long effectiveLeaseMillis;
    private final long deadline;
    private final boolean noWait;
    /** The owner token each granted member hold was taken with (one per attempt, see below). */
    private final long[] owners;
    /** Each member's latest attempt, until it answers: a member is not asked again before. */
    private final CompletableFuture<?>[] pending;
    private final Lease[] granted;
    private final CompletableFuture<GroupHold> result = new CompletableFuture<>();
    private final List<Future<?>> inFlight = new ArrayList<>();
    private volatile boolean cancelled;
    /** Rounds in a row in which fewer members answered than are needed, and since when (only the step in turn touches these). */
    private int shortRounds;
    /** The member this acquisition was handed from its queue and keeps while it retries the others, or -1. */
    private int keptGate = -1;
    private int gateRetries;
    private long shortSince;

    GroupAcquisition(Group lock, Holder holder, Thread ownerThread, long leaseMillis, long effectiveLeaseMillis,
            long waitNanos) {
        this.lock = lock;
        this.holder = holder;
        this.ownerThread = ownerThread;
        this.leaseMillis = leaseMillis;
        this.effectiveLeaseMillis = effectiveLeaseMillis;
        this.noWait = waitNanos == 0;
        this.deadline = waitNanos < 0 ? Long.MAX_VALUE : lock.ctx.now() + waitNanos;
        this.owners = new long[lock.members.size()];
        this.pending = new CompletableFuture<?>[lock.members.size()];
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
        synchronized (inFlight) {
            inFlight.forEach(f -> f.cancel(true)); // after: a wait queued on a member whose client stays open ends here
        }
    }

    /**
     * A member's answer in a round. {@code NOT_TAKEN}: its server answered, but an all-or-none call
     * over several members ({@link #attemptTogether}) took none of them because another member of
     * the call was busy: counted as an answer, neither a grant nor a gate.
     */
    private enum Answer { GRANTED, BUSY, NOT_TAKEN, NO_ANSWER, FAILED }

    private record Outcome(Answer answer, Lease lease, Throwable error, long owner) {
        Outcome(Answer answer, Lease lease, Throwable error) {
            this(answer, lease, error, 0);
        }
    }

    private void round() {
        if (stopIfCancelled()) {
            return;
        }
        if (lock.policy.firstMemberFirst() && granted[0] == null
                && (holdsAny() || lock.firstMemberBusy() && !lock.allTogether())) {
            // never a round over every member while holding one (a gate kept while it retries): it
            // would keep that gate while the first member is busy, where the first member alone
            // gives everything back at once
            claimFirst();
            return;
        }
        if (needsAll() && anyUnanswered()) {
            // a member has not answered an earlier attempt yet (it is not asked again before): this
            // round cannot take all, and asking the others would only hold them for nothing
            List<Outcome> outcomes = new ArrayList<>(granted.length);
            for (int i = 0; i < granted.length; i++) {
                outcomes.add(granted[i] != null ? new Outcome(Answer.GRANTED, granted[i], null, owners[i])
                        : new Outcome(Answer.NO_ANSWER, null, null));
            }
            afterRound(outcomes, false);
            return;
        }
        long sent = lock.ctx.now();
        boolean firstAsked = granted[0] == null; // not held from an earlier step
        List<CompletableFuture<Outcome>> attempts = new ArrayList<>(granted.length);
        for (int i = 0; i < granted.length; i++) {
            attempts.add(granted[i] != null
                    ? CompletableFuture.completedFuture(new Outcome(Answer.GRANTED, granted[i], null, owners[i]))
                    : null);
        }
        if (lock.anyTogether()) {
            attemptTogether(attempts);
        }
        for (int i = 0; i < granted.length; i++) {
            if (attempts.get(i) == null) {
                attempts.set(i, attempt(i));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new));
        cutOff(attempts, all, sent);
        all.whenComplete((v, e) -> afterRound(attempts.stream().map(CompletableFuture::join).toList(), firstAsked));
    }

    /**
     * Cuts off, after the member timeout counted from {@code sent}, the attempts of a round that have
     * not answered: one timer per round, not one per member (a timer per attempt cost the round as
     * many scheduler operations, and a scheduler thread wake-up, for nothing in the common case).
     */
    private void cutOff(List<CompletableFuture<Outcome>> attempts, CompletableFuture<Void> all, long sent) {
        if (all.isDone()) {
            return;
        }
        long delay = lock.policy.memberTimeoutNanos(effectiveLeaseMillis) - (lock.ctx.now() - sent);
        java.util.concurrent.ScheduledFuture<?> timer = lock.ctx.schedule(() -> {
            for (CompletableFuture<Outcome> a : attempts) {
                a.complete(new Outcome(Answer.NO_ANSWER, null, null));
            }
        }, delay);
        if (timer != null) {
            all.whenComplete((v, e) -> timer.cancel(false));
        }
    }

    /**
     * One zero-wait attempt on member {@code i}, with an owner token of its own, cut off after the
     * member timeout (by {@link #cutOff}): the round goes on without it, and a grant that arrives
     * later is released here.
     * An owner token per attempt means a late answer can never be mistaken for a later attempt's,
     * and a release of it can never take a later attempt's grant. While an attempt has not answered,
     * the member is not asked again (a frozen master does not pile up attempts).
     */
    private CompletableFuture<Outcome> attempt(int i) {
        CompletableFuture<?> previous = pending[i];
        if (previous != null && !previous.isDone()) {
            return CompletableFuture.completedFuture(new Outcome(Answer.NO_ANSWER, null, null));
        }
        long owner = lock.ctx.nextMemberOwner();
        CompletableFuture<Optional<Lease>> f;
        try {
            f = tryLock(lock.members.get(i), owner, 0);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(classify(e));
        }
        pending[i] = f;
        track(f);
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        f.whenComplete((lease, e) -> {
            Outcome o = e != null ? classify(e)
                    : lease.isPresent() ? new Outcome(Answer.GRANTED, lease.get(), null, owner) : new Outcome(Answer.BUSY, null, null);
            if (!outcome.complete(o) && o.answer() == Answer.GRANTED) {
                lock.releaseMember(i, owner); // too late for its round
            }
        });
        return outcome;
    }

    /**
     * Fills in {@code attempts} for the members not held yet that one script call can take
     * together (see {@link Group#togetherSets}), at least two by call: one all-or-none call per set
     * ({@link TakenTogether#tryLockTogetherAsync}), cut off and given back late as {@link #attempt}
     * is. Every member of a set answers with the call: all granted, or the first busy one
     * {@link Answer#BUSY} and the others {@link Answer#NOT_TAKEN} (nothing of the set is held).
     * A member whose previous attempt has not answered is left to {@link #attempt}.
     */
    private void attemptTogether(List<CompletableFuture<Outcome>> attempts) {
        for (List<Integer> set : lock.togetherSets(i -> attempts.get(i) == null && (pending[i] == null || pending[i].isDone()))) {
            List<CompletableFuture<Outcome>> outcomes = tryTogether(set);
            for (int k = 0; k < set.size(); k++) {
                attempts.set(set.get(k), outcomes.get(k));
            }
        }
    }

    /** One all-or-none call over members {@code set}; the outcomes in the order of {@code set}. */
    private List<CompletableFuture<Outcome>> tryTogether(List<Integer> set) {
        long[] tokens = new long[set.size()];
        List<RLock> members = new ArrayList<>(set.size());
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(set.size());
        for (int k = 0; k < set.size(); k++) {
            tokens[k] = lock.ctx.nextMemberOwner();
            members.add(lock.members.get(set.get(k)));
            outcomes.add(new CompletableFuture<>());
        }
        CompletableFuture<TakenTogether.Taken> f;
        try {
            f = ((TakenTogether) members.get(0)).tryLockTogetherAsync(members, tokens, leaseArgNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        for (int i : set) {
            pending[i] = f;
        }
        track(f);
        f.whenComplete((taken, e) -> {
            for (int k = 0; k < set.size(); k++) {
                Outcome o = e != null ? classify(e)
                        : taken.notTaken() < 0 ? new Outcome(Answer.GRANTED, taken.leases().get(k), null, tokens[k])
                        : new Outcome(k == taken.notTaken() ? Answer.BUSY : Answer.NOT_TAKEN, null, null);
                if (!outcomes.get(k).complete(o) && o.answer() == Answer.GRANTED) {
                    lock.releaseMember(set.get(k), tokens[k]); // too late for its round
                }
            }
        });
        return outcomes;
    }

    /**
     * The multi-lock's first step ({@link Policy#firstMemberFirst()}): one zero-wait attempt on the
     * first member; granted, the round goes on with the others; busy, the acquisition gives back
     * what it holds and waits queued there.
     */
    private void claimFirst() {
        long sent = lock.ctx.now();
        CompletableFuture<Outcome> first = attempt(0);
        cutOff(List.of(first), first.thenApply(o -> null), sent);
        first.whenComplete((o, x) -> {
            if (cancelled) {
                releaseAll().whenComplete((v, e) -> stopIfCancelled());
                return;
            }
            switch (o.answer()) {
                case GRANTED -> {
                    granted[0] = o.lease();
                    owners[0] = o.owner();
                    shortRounds = 0;
                    lock.firstMemberBusy(false);
                    round();
                }
                case BUSY -> {
                    shortRounds = 0;
                    lock.firstMemberBusy(true);
                    releaseAll().whenComplete((v, e) -> {
                        if (stopIfCancelled()) {
                            return;
                        }
                        if (noWait || deadlinePassed()) {
                            complete(null);
                        } else {
                            waitAt(0);
                        }
                    });
                }
                case FAILED -> {
                    Throwable error = o.error();
                    RuntimeException e = failsAsIs(error) ? (RuntimeException) error : unavailable(0,
                            List.of(lock.memberLabel(0) + ": " + error.getMessage()), List.of(error));
                    releaseAll().whenComplete((v, y) -> fail(e));
                }
                case NO_ANSWER -> {
                    long now = lock.ctx.now();
                    shortSince = shortRounds++ == 0 ? now : shortSince;
                    if (now - shortSince >= lock.policy.unavailableNanos()) {
                        RedisUnavailableException e = unavailable(0, List.of(lock.memberLabel(0) + ": no answer"), List.of());
                        releaseAll().whenComplete((v, y) -> fail(e));
                    } else {
                        lock.ctx.schedule(this::round, GroupContext.backoffNanos(lock.policy.backoffMillis()));
                    }
                }
            }
        });
    }

    /** @param firstAsked whether the round asked the first member (rather than holding it already) */
    private void afterRound(List<Outcome> outcomes, boolean firstAsked) {
        int grantedCount = 0;
        int busy = 0;
        int notTaken = 0;
        int gate = -1;
        List<String> problems = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            switch (o.answer()) {
                case GRANTED -> {
                    granted[i] = o.lease();
                    owners[i] = o.owner();
                    grantedCount++;
                }
                case BUSY -> {
                    busy++;
                    gate = gate < 0 ? i : gate;
                }
                case NOT_TAKEN -> notTaken++;
                case FAILED -> {
                    if (!errors.contains(o.error())) { // one call over several members fails them all with one error
                        errors.add(o.error());
                    }
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
        Throwable fatal = errors.stream().filter(this::failsAsIs).findFirst().orElse(null);
        if (fatal != null) {
            releaseAll().whenComplete((v, e) -> fail(fatal));
            return;
        }
        int needed = lock.policy.needed();
        if (grantedCount >= needed) {
            GroupHold hold = new GroupHold(lock, holder, ownerThread, owners, leaseMillis < 0,
                    lock.policy.driftNanos(effectiveLeaseMillis), granted);
            if (hold.validUntilNanos() - lock.ctx.now() > 0) {
                succeed(hold);
                return;
            }
            // granted, but after the validity window had passed: give it all back and try again
        }
        int answered = grantedCount + busy + notTaken;
        long now = lock.ctx.now();
        if (answered < needed) {
            shortRounds++;
            shortSince = shortRounds == 1 ? now : shortSince;
            if (errors.size() > granted.length - needed || now - shortSince >= lock.policy.unavailableNanos()) {
                RedisUnavailableException e = unavailable(answered, problems, errors);
                releaseAll().whenComplete((v, x) -> fail(e));
                return;
            }
        } else {
            shortRounds = 0;
        }
        if (keptGate >= 0 && granted[keptGate] != null && gateRetries < GATE_RETRIES && answered >= needed
                && (noWait || !deadlinePassed())) {
            // handed the gate by its queue: keep it and try the others again shortly; whoever split
            // the vote with a zero-wait round (a newcomer) gives its members back meanwhile
            gateRetries++;
            releaseAllBut(keptGate).whenComplete((v, e) -> {
                if (!stopIfCancelled()) {
                    // short: the newcomer gives its members back one round trip after its round
                    lock.ctx.schedule(this::round, GroupContext.backoffNanos(GATE_RETRY_BACKOFF_MILLIS));
                }
            });
            return;
        }
        keptGate = -1;
        gateRetries = 0;
        Answer firstAnswer = outcomes.get(0).answer();
        if (firstAsked && lock.policy.firstMemberFirst()) {
            // not granted (busy, or its server did not answer): ask it alone again until it is found
            // free, so that a stalled first member does not make every round take the others meanwhile
            lock.firstMemberBusy(firstAnswer != Answer.GRANTED);
        }
        // a round that tried the first member with the others and found it taken queues there at once,
        // as one that tried it alone would have (every newcomer picks that gate: no split to back off from)
        boolean firstBusy = lock.policy.firstMemberFirst() && firstAnswer == Answer.BUSY;
        boolean backOff = (grantedCount > 0 && !firstBusy) || answered < needed;
        int gateMember = answered < needed ? -1 : gate;
        releaseAll().whenComplete((v, e) -> {
            if (stopIfCancelled()) {
                return;
            }
            if (noWait ? answered >= needed : deadlinePassed()) {
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
        long owner = lock.ctx.nextMemberOwner();
        CompletableFuture<Optional<Lease>> f;
        try {
            f = tryLock(lock.members.get(gate), owner, left);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        track(f);
        f.whenComplete((lease, e) -> {
            if (e != null) {
                Outcome o = classify(e);
                if (o.answer() == Answer.FAILED && failsAsIs(o.error())) {
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
                owners[gate] = owner;
                keptGate = gate;
                round();
            }
        });
    }

    /**
     * {@code member.tryLockAsync(owner, waitNanos, lease)}; for an engine lock without the hand-off
     * to its client's callback executor ({@link TakenTogether#tryLockDirectAsync}): every step here
     * is short and non-blocking, and the hand-off showed in the acquisition's latency.
     */
    private CompletableFuture<Optional<Lease>> tryLock(RLock member, long owner, long waitNanos) {
        return member instanceof TakenTogether t
                ? t.tryLockDirectAsync(owner, waitNanos, leaseArgNanos(), TimeUnit.NANOSECONDS)
                : member.tryLockAsync(owner, waitNanos, leaseArgNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether a member not held has an attempt that has not answered yet. */
    private boolean anyUnanswered() {
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] == null && pending[i] != null && !pending[i].isDone()) {
                return true;
            }
        }
        return false;
    }

    /** Whether this acquisition holds a member now. */
    private boolean holdsAny() {
        for (Lease l : granted) {
            if (l != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the wait time has elapsed; never for an unbounded wait (deadline - now could overflow). */
    private boolean deadlinePassed() {
        return deadline != Long.MAX_VALUE && lock.ctx.now() - deadline >= 0;
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
        return releaseAllBut(-1);
    }

    /** Releases every member hold taken but {@code kept}'s; completes when all releases have answered. */
    private CompletableFuture<Void> releaseAllBut(int kept) {
        List<CompletableFuture<?>> releases = new ArrayList<>();
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] != null && i != kept) {
                releases.add(lock.releaseMember(i, owners[i]));
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
        lock.ended(this, holder);
        result.complete(none);
    }

    private void fail(Throwable e) {
        lock.ended(this, holder);
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
     * A member's failure the acquisition fails with as it is, for a lock that needs every member:
     * any answer that is not "unreachable" or "timed out" (a wrong key type, a lock upgrade refused,
     * a server error, a member client that was closed): it is not a matter of availability, and
     * calling it {@link RedisUnavailableException} would mislead. A lock that needs a majority (the
     * quorum lock) fails as-is on none of them: a master that errs, or whose client was closed, is
     * a master that did not grant, like one that is down; the acquisition fails (with
     * {@link RedisUnavailableException} naming each) only when too few masters are left. Closing
     * the quorum client itself fails its acquisitions at once ({@link #closed()}).
     */
    private boolean failsAsIs(Throwable e) {
        return needsAll() && e instanceof RuntimeException && !(e instanceof RedisUnavailableException)
                && !(e instanceof HoldfastTimeoutException);
    }

    private boolean needsAll() {
        return lock.policy.needed() == lock.members.size();
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

    /** Strips future wrappers; at most 64 of them (a chain of wrappers may loop: {@code initCause} allows it). */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 64 && (t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null; i++) {
            t = t.getCause();
        }
        return t;
    }
}
