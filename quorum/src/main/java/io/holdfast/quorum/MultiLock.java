package io.holdfast.quorum;

import io.holdfast.LeaseListener;
import io.holdfast.RLock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Several locks taken as one: all of them or none.
 *
 * <pre>{@code
 * RLock order = holdfast.getLock("order:42");
 * RLock stock = otherHoldfast.getFairLock("stock:7");
 * RLock both = MultiLock.of(order, stock);
 * both.lock();
 * try { ... } finally { both.unlock(); }
 * }</pre>
 *
 * <p><b>Members</b>: any {@link RLock}s of any kind (reentrant, fair, read or write lock), from any
 * clients and servers. The multi-lock holds them with owner tokens of its own (their async API),
 * one level each, and counts its own levels per holder (thread or owner token), so it is reentrant
 * as a whole.
 *
 * <p><b>All or none, and no deadlock</b>: an attempt tries the first member in the canonical order
 * (by lock name, then the order given) without waiting, then the others at once, without waiting
 * either; while the multi-lock object last found its first member free, it tries all of them at
 * once instead (one round trip when nobody else wants them). If one is busy, it gives back every
 * member it took, and only then waits, queued on one member: the first, or the first busy one. Holding that member, it tries the others again
 * without waiting (if they are busy, again a few ms later, at
 * most 5 times, then it gives everything back). So a multi-lock never waits for a member while it
 * holds another: two clients locking {A, B} and {B, A} cannot deadlock, whatever the order given,
 * and they wait for each other in the gate member's FIFO queue instead of polling. A newcomer
 * whose round took some members but not all gives them back and backs off for a random time (up
 * to 20 ms) before it waits, so two clients that keep splitting the members do not livelock.
 *
 * <p><b>Leases</b>: the hold is valid until the earliest of its members' validity deadlines; the
 * members' watchdogs renew them. Losing any member loses the group: {@link io.holdfast.Lease#whenLost()}
 * completes, the listener given to {@link #of(LeaseListener, List)} fires once, the other members
 * are released at once, and {@code unlock()} throws {@link io.holdfast.LockLostException}.
 *
 * <p><b>Fencing token</b>: the largest of the members' tokens. It orders nothing across different
 * locks: a resource guarded by one member should check that member's own token (take it from the
 * member lock's own lease when the resource needs it, or guard it by that lock alone).
 *
 * <p><b>Queries</b>: {@code isLocked()} is true when every member is locked (by anyone);
 * {@code isHeldByCurrentThread()} and {@code getHoldCount()} answer from the multi-lock's own
 * registry, without a round trip. Each multi-lock object has its own registry: keep one object per
 * set of locks and use it from every thread (two objects over the same locks exclude each other on
 * the servers, but are not re-entries of each other).
 *
 * <p>There are no conditions: {@code newCondition} throws {@link UnsupportedOperationException}.
 *
 * <p><b>Redis unreachable</b>: a member that cannot be reached or does not answer in time fails the
 * acquisition ({@link io.holdfast.RedisUnavailableException} naming the member), after every member
 * taken is given back. Any other error of a member (a wrong key type, a refused lock upgrade, a
 * server error, a closed member client) fails it as it is, after the same.
 *
 * <p><b>Do not hold a member yourself while taking the multi-lock</b>: the multi-lock holds its
 * members with owner tokens of its own, which are not re-entries of a thread's hold. A thread that
 * holds member A (say {@code a.lock()}) and then calls {@code MultiLock.of(a, b).lock()} waits for
 * itself for ever; {@code tryLock} with a wait time returns {@code false} when it elapses.
 *
 * <p><b>One script call for members that can go together</b>: members of one {@code Holdfast}
 * client, of one kind (reentrant or fair), on its one server (on a Cluster: in one slot, e.g. names
 * with one hash tag, {@code "{cart}:items"} and {@code "{cart}:total"}) are tried by one script call,
 * which takes all of them or none: nobody ever sees a part of them taken, and a busy one costs no
 * give-back. The multi-lock then waits queued at the first busy one, as above. {@code unlock()}
 * releases them in one call as well, all in the same moment on the server. Members that cannot
 * go together (other clients or servers, other kinds, read-write locks) are tried one call each,
 * all sent at once; a multi-lock may mix both.
 */
public final class MultiLock {

    private static final Object SHARED_LOCK = new Object();
    private static GroupContext shared;

    private MultiLock() {
    }

    /**
     * A multi-lock over {@code locks}, without a lease listener (see {@link #of(LeaseListener, List)}).
     *
     * @param locks the members: at least one, none twice, none null
     * @return the multi-lock; obtaining it does not talk to Redis
     * @throws IllegalArgumentException if {@code locks} is empty or names the same lock object twice
     * @throws NullPointerException if {@code locks} or one of them is null
     */
    public static RLock of(RLock... locks) {
        return of((lease, cause) -> { }, List.of(Objects.requireNonNull(locks, "locks")));
    }

    /**
     * A multi-lock over {@code locks} whose losses are told to {@code listener} (once per lost hold,
     * on a Holdfast thread).
     *
     * @param listener told when a hold of the multi-lock is lost
     * @param locks the members: at least one, none twice, none null
     * @return the multi-lock; obtaining it does not talk to Redis
     * @throws IllegalArgumentException if {@code locks} is empty or names the same lock object twice
     * @throws NullPointerException if an argument or one of the locks is null
     */
    public static RLock of(LeaseListener listener, List<RLock> locks) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(locks, "locks");
        if (locks.isEmpty()) {
            throw new IllegalArgumentException("a multi-lock needs at least one lock");
        }
        Map<RLock, Boolean> seen = new IdentityHashMap<>();
        for (RLock l : locks) {
            Objects.requireNonNull(l, "a lock of the multi-lock is null");
            if (seen.put(l, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("lock '" + l.getName() + "' is given twice to the multi-lock");
            }
        }
        List<Integer> order = IntStream.range(0, locks.size()).boxed()
                .sorted(Comparator.comparing((Integer i) -> locks.get(i).getName()).thenComparing(i -> i)).toList();
        List<RLock> members = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i : order) {
            members.add(locks.get(i));
            labels.add("lock '" + locks.get(i).getName() + "'");
        }
        String name = String.join(",", members.stream().map(RLock::getName).toList());
        Policy policy = new Policy("multi-lock", members.size(), 0, 0, 60_000, 20, 2_000, true);
        GroupContext base = shared();
        GroupContext ctx = new GroupContext(base.scheduler, base.callbacks, listener); // a registry of its own
        return new GroupLock(new Group(name, members, labels, policy, ctx, 30_000));
    }

    private static GroupContext shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                shared = new GroupContext(Threads.scheduler("holdfast-multilock-timer"),
                        Threads.callbacks("holdfast-multilock-callbacks"), (lease, cause) -> { });
            }
            return shared;
        }
    }
}
