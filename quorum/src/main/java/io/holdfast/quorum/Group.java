package io.holdfast.quorum;

import io.holdfast.Lease;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.spi.TakenTogether;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of one group lock: its members and policy, and the holds and acquisitions of its
 * holders in the context's registry ({@link GroupContext#registry}, by lock name and holder; a
 * {@code Group} keeps no state of its own). {@link GroupLock} is its {@link RLock} face;
 * {@link GroupAcquisition} acquires, {@link GroupHold} is one hold.
 *
 * <p><b>Holders and levels.</b> A holder is a thread (blocking methods) or an owner token (async
 * methods). Levels are counted in the registry; the members are held at one level each, each with
 * an owner token of the attempt that took it (see {@link GroupAcquisition}). So a re-entry costs no round trip, and it keeps the hold's
 * lease as it is (a nested explicit lease neither shortens nor lengthens it).
 *
 * <p><b>Release.</b> The last unlock releases the members held, all at once, the first one still
 * held in member order sent last: waiters wait queued on that member (see {@link GroupAcquisition}),
 * so the one it is handed to finds the others free (nearly always; see {@link #releaseMembers}).
 *
 * <p><b>Threads that end holding the lock.</b> While a thread holds a lock of the context, one
 * sweep of the context checks every {@link #SWEEP_MILLIS} ms the threads of its holds; a hold
 * whose thread has ended is released (it can no longer be in its critical section, and nobody
 * else may unlock it). One sweep per context, not a timer per hold: a timer per hold cost every
 * acquisition and release a scheduler operation and a wake-up of the scheduler thread.
 */
final class Group {

    private static final Logger log = LoggerFactory.getLogger(Group.class);

    /** How often a thread's hold checks that its thread is still alive. */
    static final long SWEEP_MILLIS = 250;

    final String name;
    final List<RLock> members;
    final List<String> memberLabels;
    final Policy policy;
    final GroupContext ctx;
    private final long watchdogLeaseMillis;
    /**
     * A hint: whether the latest attempt of this lock object on its first member found it taken.
     * While not, the multi-lock ({@link Policy#firstMemberFirst()}) tries every member at once (one
     * round trip when nobody else wants them); once it did, the first member alone comes first (see
     * {@link GroupAcquisition}). A stale value costs a round trip or a give-back, never safety.
     */
    private volatile boolean firstMemberBusy;
    private final Object[] togetherKeys;
    private final boolean anyTogether;
    private final boolean allTogether;

    Group(String name, List<RLock> members, List<String> memberLabels, Policy policy, GroupContext ctx,
            long watchdogLeaseMillis) {
        this.name = name;
        this.members = List.copyOf(members);
        this.memberLabels = List.copyOf(memberLabels);
        this.policy = policy;
        this.ctx = ctx;
        this.watchdogLeaseMillis = watchdogLeaseMillis;
        this.togetherKeys = new Object[this.members.size()];
        Map<Object, Integer> counts = new HashMap<>();
        for (int i = 0; i < togetherKeys.length; i++) {
            togetherKeys[i] = this.members.get(i) instanceof TakenTogether t ? t.togetherKey() : null;
            if (togetherKeys[i] != null) {
                counts.merge(togetherKeys[i], 1, Integer::sum);
            }
        }
        this.anyTogether = counts.values().stream().anyMatch(n -> n >= 2);
        this.allTogether = togetherKeys.length >= 2 && counts.size() == 1 && counts.values().iterator().next() == togetherKeys.length;
    }

    /**
     * The members {@code include} accepts that one script call can take or release together, by
     * {@link TakenTogether#togetherKey()}: the sets of two or more, in member order (a list the caller may reorder).
     */
    List<List<Integer>> togetherSets(IntPredicate include) {
        List<List<Integer>> sets = new ArrayList<>();
        if (anyTogether) {
            Map<Object, List<Integer>> byKey = new LinkedHashMap<>();
            for (int i = 0; i < togetherKeys.length; i++) {
                if (togetherKeys[i] != null && include.test(i)) {
                    byKey.computeIfAbsent(togetherKeys[i], k -> new ArrayList<>()).add(i);
                }
            }
            byKey.values().stream().filter(set -> set.size() >= 2).forEach(sets::add);
        }
        return sets;
    }

    /** Whether some members can be tried together in one script call (two or more with one key). */
    boolean anyTogether() {
        return anyTogether;
    }

    /**
     * Whether every member can be tried together with every other in one script call (one client,
     * kind and slot): then a round over all of them takes all or none, and never needs the first
     * member alone first to keep a newcomer from holding the others.
     */
    boolean allTogether() {
        return allTogether;
    }

    String getName() {
        return name;
    }

    String describe() {
        return policy.label() + " '" + name + "'";
    }

    String memberLabel(int i) {
        return memberLabels.get(i);
    }

    /** A started acquisition, or a re-entry already decided (then {@code acquisition} is null). */
    record Pending(CompletableFuture<GroupHold> result, GroupAcquisition acquisition, Group group) {
        /** Stops it; completes once nothing it took is held (a re-entry's level is given back). */
        CompletableFuture<Void> cancel() {
            if (acquisition != null) {
                return acquisition.cancel();
            }
            return result.handle((h, e) -> h).thenCompose(h -> h == null ? CompletableFuture.<Void>completedFuture(null)
                    : group.release(h.holder).handle((v, e) -> null));
        }
    }

    Pending acquire(Holder holder, Thread ownerThread, long leaseMillis, long waitNanos) {
        checkOpen();
        Object[] decided = new Object[1];
        ctx.registry.compute(key(holder), (k, current) -> {
            if (current instanceof GroupHold hold) {
                LockLostException lost = expired(hold);
                decided[0] = lost == null && hold.enter() ? hold : lost != null ? lost : lostCause(hold);
                return current;
            }
            if (current != null) {
                decided[0] = new IllegalStateException(holder + " is already acquiring " + describe());
                return current;
            }
            long effective = leaseMillis > 0 ? leaseMillis : watchdogLeaseMillis;
            GroupAcquisition acquisition = new GroupAcquisition(this, holder, ownerThread, leaseMillis, effective, waitNanos);
            decided[0] = acquisition;
            return acquisition;
        });
        if (decided[0] instanceof GroupAcquisition acquisition) {
            acquisition.start();
            return new Pending(acquisition.result(), acquisition, this);
        }
        if (decided[0] instanceof GroupHold hold) {
            return new Pending(CompletableFuture.completedFuture(hold), null, this);
        }
        return new Pending(CompletableFuture.failedFuture((RuntimeException) decided[0]), null, this);
    }

    private GroupContext.Key key(Holder holder) {
        return new GroupContext.Key(name, holder);
    }

    /** The acquisition was granted: the hold replaces it in the registry, unless it was closed meanwhile. */
    boolean granted(GroupAcquisition acquisition, GroupHold hold) {
        if (ctx.isClosed() || !ctx.registry.replace(key(hold.holder), acquisition, hold)) {
            return false;
        }
        if (hold.ownerThread != null) {
            ctx.sweepThreads(SWEEP_MILLIS);
        }
        return true;
    }

    boolean firstMemberBusy() {
        return firstMemberBusy;
    }

    void firstMemberBusy(boolean busy) {
        if (firstMemberBusy != busy) { // read first: most rounds leave it as it is, and skip the volatile write
            firstMemberBusy = busy;
        }
    }

    /** The acquisition ended without a hold. */
    void ended(GroupAcquisition acquisition, Holder holder) {
        ctx.registry.remove(key(holder), acquisition);
    }

    /**
     * A hold whose validity has ended (an explicit lease that ran out; a renewed hold whose renewals
     * did not move it in time) is lost, here at once rather than when its validity check runs;
     * returns the cause, or null if it is still valid.
     */
    private LockLostException expired(GroupHold hold) {
        if (hold.state() == LeaseState.ACTIVE && hold.validUntilNanos() - ctx.now() <= 0) {
            return hold.markLost(hold.renewed ? "not renewed in time on " + policy.needed() + " of " + members.size()
                    + " members (its validity ended)" : "its lease of the " + policy.label() + " ran out", false, true);
        }
        return null;
    }

    private LockLostException lostCause(GroupHold hold) {
        LockLostException cause = hold.lostCause();
        return cause != null ? cause : new LockLostException(name, "the hold is no longer active");
    }

    /**
     * Releases a thread's hold whose thread has ended (called by the context's sweep, see
     * {@link GroupContext#sweepThreads}).
     */
    void releaseOrphan(GroupHold hold) {
        if (ctx.registry.remove(key(hold.holder), hold) && hold.startReleasing()) {
            releaseMembers(hold).thenRun(hold::released);
        }
    }

    // --- release ---

    /**
     * Releases one level of {@code holder}'s hold (see the class comment, "Release").
     *
     * @throws IllegalStateException if the client is closed (as a closed {@code Holdfast}'s locks do)
     */
    CompletableFuture<Void> release(Holder holder) {
        checkOpen();
        GroupHold[] found = new GroupHold[1];
        int[] levels = new int[1];
        ctx.registry.computeIfPresent(key(holder), (k, current) -> {
            if (!(current instanceof GroupHold h)) {
                return current;
            }
            found[0] = h;
            levels[0] = h.leave();
            return levels[0] <= 0 ? null : h;
        });
        GroupHold hold = found[0];
        int left = levels[0];
        if (hold == null) {
            return CompletableFuture.failedFuture(new IllegalMonitorStateException(describe() + " is not held by " + holder));
        }
        LockLostException lost = hold.state() == LeaseState.LOST ? lostCause(hold) : expired(hold);
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
     * Releases the hold's members, all at once, the first one still held (in member order) sent
     * last: waiters wait queued on that member (see {@link GroupAcquisition}), and the one it is
     * handed to then tries the others, so their releases should be on their way before. Members
     * that one script call can release together ({@link #togetherSets}) go in one call per set, all
     * in the same moment on the server (the set holding the first member sent last). Completes with
     * how many still had it.
     *
     * <p>Not waiting for the others' answers before releasing the first one saves a round trip per
     * release; a waiter handed the first member that still finds another one taken (its release was
     * slower than the hand-over) keeps the first member and tries again a few ms later.
     */
    private CompletableFuture<Integer> releaseMembers(GroupHold hold) {
        Lease[] leases = hold.members();
        int first = -1;
        for (int i = 0; i < leases.length && first < 0; i++) {
            if (leases[i] != null && leases[i].state() == LeaseState.ACTIVE) {
                first = i; // the first member still held: where waiters queue
            }
        }
        List<List<Integer>> sets = togetherSets(i -> leases[i] != null);
        boolean[] inSet = new boolean[leases.length];
        sets.forEach(set -> set.forEach(i -> inSet[i] = true));
        List<CompletableFuture<Boolean>> releases = new ArrayList<>();
        for (int i = 0; i < leases.length; i++) {
            if (leases[i] != null && i != first && !inSet[i]) {
                releases.add(releaseMember(i, hold.memberOwner(i)));
            }
        }
        int gate = first;
        sets.sort(java.util.Comparator.comparing(set -> set.contains(gate))); // the first member's set last
        for (List<Integer> set : sets) {
            releases.addAll(releaseTogether(set, hold));
        }
        if (first >= 0 && !inSet[first]) {
            releases.add(releaseMember(first, hold.memberOwner(first)));
        }
        return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new))
                .thenApply(v -> (int) releases.stream().filter(CompletableFuture::join).count());
    }

    /**
     * Releases members {@code set} of the hold in one script call ({@link TakenTogether#unlockTogetherAsync});
     * each member's release that fails is then tried again on its own, as {@link #releaseMember} does.
     */
    private List<CompletableFuture<Boolean>> releaseTogether(List<Integer> set, GroupHold hold) {
        long[] owners = new long[set.size()];
        List<RLock> locks = new ArrayList<>(set.size());
        for (int k = 0; k < set.size(); k++) {
            owners[k] = hold.memberOwner(set.get(k));
            locks.add(members.get(set.get(k)));
        }
        List<CompletableFuture<Void>> calls;
        try {
            calls = ((TakenTogether) locks.get(0)).unlockTogetherAsync(locks, owners);
        } catch (RuntimeException e) {
            calls = set.stream().map(i -> CompletableFuture.<Void>failedFuture(e)).toList();
        }
        List<CompletableFuture<Boolean>> held = new ArrayList<>(set.size());
        for (int k = 0; k < set.size(); k++) {
            CompletableFuture<Boolean> h = new CompletableFuture<>();
            afterReleaseTry(set.get(k), owners[k], RELEASE_RETRY_MIN_MILLIS, h, calls.get(k));
            held.add(h);
        }
        return held;
    }

    /** The first wait before a failed member release is tried again, in ms; it doubles up to {@link #RELEASE_RETRY_MAX_MILLIS}. */
    static final long RELEASE_RETRY_MIN_MILLIS = 20;

    /** The longest wait between two tries of a failed member release, in ms. */
    static final long RELEASE_RETRY_MAX_MILLIS = 1_000;

    /**
     * Releases member {@code i}'s hold of {@code owner}; never fails. Completes with {@code true} if
     * the member had it: released, or not released yet because the release failed (a timeout, a
     * reset connection, a refused script). Such a release is tried again, with a growing back-off,
     * until it succeeds or the member says it does not have the hold (its lease ran out, or its
     * client was closed: its holds expire unrenewed): a member hold the member's watchdog keeps
     * renewing must never be left behind. Completes with {@code false} if the member did not have it.
     */
    CompletableFuture<Boolean> releaseMember(int i, long owner) {
        CompletableFuture<Boolean> held = new CompletableFuture<>();
        tryReleaseMember(i, owner, RELEASE_RETRY_MIN_MILLIS, held);
        return held;
    }

    private void tryReleaseMember(int i, long owner, long backoffMillis, CompletableFuture<Boolean> held) {
        CompletableFuture<Void> f;
        try {
            // an engine lock's release without the hand-off to its client's callback executor
            f = members.get(i) instanceof TakenTogether t ? t.unlockDirectAsync(owner) : members.get(i).unlockAsync(owner);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        afterReleaseTry(i, owner, backoffMillis, held, f);
    }

    /** What one try {@code f} of member {@code i}'s release did: done, not held, or tried again later. */
    private void afterReleaseTry(int i, long owner, long backoffMillis, CompletableFuture<Boolean> held,
            CompletableFuture<Void> f) {
        f.whenComplete((v, e) -> {
            if (e == null) {
                held.complete(true);
                return;
            }
            Throwable t = GroupAcquisition.unwrap(e);
            if (t instanceof IllegalMonitorStateException || t instanceof IllegalStateException) {
                held.complete(false); // not held (LockLostException included), or its client is closed
                return;
            }
            held.complete(true);
            if (backoffMillis == RELEASE_RETRY_MIN_MILLIS) {
                log.warn("releasing {} of {} failed, trying again until it is released: {}", memberLabel(i), describe(),
                        t.toString());
            }
            // not on the context's scheduler: the retry must outlive this client's close (the
            // member's client may stay open and would renew the member hold for ever)
            CompletableFuture.delayedExecutor(backoffMillis, TimeUnit.MILLISECONDS).execute(() ->
                    tryReleaseMember(i, owner, Math.min(RELEASE_RETRY_MAX_MILLIS, backoffMillis * 2), held));
        });
    }

    Optional<GroupHold> hold(Holder holder) {
        return ctx.registry.get(key(holder)) instanceof GroupHold h ? Optional.of(h) : Optional.empty();
    }

    void checkOpen() {
        if (ctx.isClosed()) {
            throw new IllegalStateException("the client of " + describe() + " is closed");
        }
    }

    /** This client's holds of this lock, whoever holds them. */
    List<GroupHold> localHolds() {
        List<GroupHold> local = new ArrayList<>();
        ctx.registry.forEach((k, v) -> {
            if (k.lock().equals(name) && v instanceof GroupHold h) {
                local.add(h);
            }
        });
        return local;
    }
}
