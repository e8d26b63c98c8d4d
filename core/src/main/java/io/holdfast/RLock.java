package io.holdfast;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock that is exclusive (or, for a read lock, shared) across every process that talks to the
 * same Redis.
 *
 * <p><b>Ownership.</b> The blocking methods act for the calling thread: a hold taken by one thread
 * is released by that thread. Holds are reentrant: a thread that holds the lock may take it again,
 * and must release it as many times.
 *
 * <p><b>Leases.</b> Every hold has a lease on the server. Without an explicit lease time the
 * client's watchdog keeps extending it while the hold lasts (see
 * {@link HoldfastOptions.Builder#watchdogLease}); with one, the hold simply expires after it. A
 * hold whose lease ended without {@code unlock()} is <em>lost</em>: {@link Lease#whenLost()}
 * completes, the client's {@link LeaseListener} fires, and {@code unlock()} throws
 * {@link LockLostException}. Re-entering a lost hold ({@code lock()}, {@code tryLock(...)} or
 * {@code lockAsync(...)} by its holder, at any level) throws (or completes with) that same
 * {@link LockLostException} and takes no level: the holder still unlocks the levels it has.
 *
 * <p><b>Lease and wait bounds.</b> An explicit lease is at least {@link #MIN_LEASE_MILLIS} ms (a
 * shorter one could run out before the reply that grants it arrives) and at most
 * {@link #MAX_LEASE_MILLIS} ms (one year: the client's monotonic deadline arithmetic and the
 * server's cannot overflow); a lease outside these bounds is refused with
 * {@link IllegalArgumentException} naming the limit, before anything is sent. A wait time is
 * never refused: a negative one means "do not wait", and one longer than
 * {@link #MAX_WAIT_NANOS} (about 146 years, e.g. {@code Long.MAX_VALUE} of any unit) means "wait
 * without a time limit", as a {@code java.util.concurrent} lock would in practice.
 *
 * <p><b>Nested levels keep the hold's lease.</b> Taking the lock again while holding it adds a
 * level to the same hold, which has one lease: a nested call without a lease time
 * ({@code lock()}, {@code tryLock(...)} without a lease, a negative lease) keeps the lease the
 * hold has, watchdog-renewed or explicit; it never turns an explicit lease into a renewed one or
 * stretches it. A nested call with an explicit lease may lengthen the hold's lease to that
 * lease, never shorten it.
 *
 * <p><b>Threads of user code.</b> The futures of the async methods, and the stages of
 * {@link Lease#whenLost()}, complete on the client's callback executor
 * ({@link HoldfastOptions.Builder#callbackExecutor}), never on a Redis I/O thread: their
 * continuations may call the blocking methods.
 *
 * <p><b>Redis unreachable.</b> Every method that talks to Redis throws
 * {@link RedisUnavailableException} when Redis cannot be reached, and
 * {@link HoldfastTimeoutException} when it does not answer within the command timeout. A failed
 * acquisition leaves nothing held and nothing renewed.
 */
public interface RLock extends Lock {

    /** The shortest explicit lease accepted, in milliseconds: 100. */
    long MIN_LEASE_MILLIS = 100;

    /** The longest explicit lease accepted, in milliseconds: 365 days. */
    long MAX_LEASE_MILLIS = 365L * 24 * 60 * 60 * 1000;

    /** Wait times at or above this many nanoseconds (2^62, about 146 years) mean "no time limit". */
    long MAX_WAIT_NANOS = 1L << 62;

    /**
     * The name this lock was obtained with. No round trip.
     *
     * @return the lock's name, as given to {@code getLock}, {@code getFairLock} or
     *     {@code getReadWriteLock}
     */
    String getName();

    /**
     * Acquires the lock, waiting as long as it takes, ignoring interrupts. If the thread is
     * interrupted while waiting it keeps waiting, and its interrupt status is set again on return.
     * The watchdog keeps the lease alive until {@link #unlock()}.
     */
    @Override
    void lock();

    /**
     * Like {@link #lock()}, but the hold expires after {@code leaseTime} unless released earlier;
     * the watchdog does not renew it.
     *
     * @param leaseTime how long the hold lasts unless released earlier
     * @param unit the unit of {@code leaseTime}
     * @throws IllegalArgumentException if {@code leaseTime} is shorter than
     *     {@link #MIN_LEASE_MILLIS} or longer than {@link #MAX_LEASE_MILLIS} (the message names the
     *     limit)
     */
    void lock(long leaseTime, TimeUnit unit);

    /**
     * Acquires the lock unless the thread is interrupted. On interruption nothing is held or
     * renewed when the exception is thrown, even if the server had already granted the lock.
     */
    @Override
    void lockInterruptibly() throws InterruptedException;

    /**
     * {@link #lockInterruptibly()} with a lease that expires after {@code leaseTime}.
     *
     * @param leaseTime how long the hold lasts unless released earlier
     * @param unit the unit of {@code leaseTime}
     * @throws InterruptedException if interrupted while waiting; nothing is held or renewed then
     * @throws IllegalArgumentException if {@code leaseTime} is outside
     *     [{@link #MIN_LEASE_MILLIS}, {@link #MAX_LEASE_MILLIS}] ms
     */
    void lockInterruptibly(long leaseTime, TimeUnit unit) throws InterruptedException;

    /**
     * Acquires the lock only if it is free at the moment of the call: one round trip, no waiting,
     * and for a fair lock, no place in the queue.
     */
    @Override
    boolean tryLock();

    /**
     * Waits up to {@code waitTime} for the lock. A waiter queues on the server; a release hands
     * the lock to the longest-waiting live waiter and tells only that one, whose call then returns
     * without another round trip. A waiter that hears nothing tries again when the holder's lease
     * runs out, so a missed message costs at most one bounded wait.
     *
     * @return {@code true} if acquired, {@code false} if the time elapsed first (nothing held)
     * @throws InterruptedException if interrupted while waiting (nothing held)
     */
    @Override
    boolean tryLock(long waitTime, TimeUnit unit) throws InterruptedException;

    /**
     * {@link #tryLock(long, TimeUnit)} with a lease: {@code leaseTime > 0} makes the hold expire
     * after it (no renewal); {@code leaseTime < 0} means "watchdog renews it".
     *
     * @param waitTime the longest time to wait; negative means "do not wait"
     * @param leaseTime {@code > 0} for a lease that expires, {@code < 0} for a watchdog-renewed one
     * @param unit the unit of {@code waitTime} and {@code leaseTime}
     * @return {@code true} if acquired, {@code false} if the time elapsed first (nothing held)
     * @throws InterruptedException if interrupted while waiting (nothing held)
     * @throws IllegalArgumentException if {@code leaseTime == 0}, or {@code leaseTime > 0} is outside
     *     [{@link #MIN_LEASE_MILLIS}, {@link #MAX_LEASE_MILLIS}] ms
     */
    boolean tryLock(long waitTime, long leaseTime, TimeUnit unit) throws InterruptedException;

    /**
     * Releases one level of the calling thread's hold. At the last level the lock is handed over,
     * in the same script, to the longest-waiting live waiter in the server's queue, and only that
     * waiter is told; with nobody waiting the lock is freed and nothing is published.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws LockLostException if the thread's hold was lost (lease expired, force-unlocked, or
     *     not renewed in time); each level of a lost hold throws once, then it is forgotten
     */
    @Override
    void unlock();

    /**
     * Frees the lock whoever holds it, and hands it over to the longest-waiting live waiter as
     * {@link #unlock()} does. Holders lose their hold (their {@code unlock()} throws
     * {@link LockLostException}). Not idempotent: a second call may free the lock again after it
     * was handed over.
     *
     * @return {@code true} if the lock was held
     * @throws WrongKeyTypeException if the lock's key holds a value of another type (not written by
     *     Holdfast); nothing is deleted or changed
     */
    boolean forceUnlock();

    /**
     * Whether any client holds the lock now (one round trip).
     *
     * @return {@code true} if some holder, in any process, holds the lock on the server
     */
    boolean isLocked();

    /**
     * Whether the calling thread holds the lock according to the server (one round trip).
     *
     * @return {@code true} if the server has a hold of the calling thread in this client
     */
    boolean isHeldByCurrentThread();

    /**
     * Whether the thread with this id, in this client, holds the lock (one round trip).
     *
     * @param threadId a thread's {@link Thread#getId()} in this process
     * @return {@code true} if the server has a hold of that thread in this client
     */
    boolean isHeldByThread(long threadId);

    /**
     * The calling thread's hold count according to the server (one round trip).
     *
     * @return the number of levels the calling thread holds, 0 if it does not hold the lock
     */
    int getHoldCount();

    /**
     * Remaining time to live of the lock key (one round trip), in the form Redisson's {@code RLock}
     * returns it, for code ported from there; {@link #timeToLive()} says the same without magic
     * numbers.
     *
     * @return milliseconds: -2 if the lock is not held, -1 if it has no expiry
     */
    long remainTimeToLive();

    /**
     * Remaining time to live of the lock as the server sees it (one round trip): until its key
     * expires unless renewed, whoever holds it.
     *
     * @return the time left, or empty if nobody holds the lock; a key without expiry (which
     *     Holdfast never leaves: every hold has a lease) reads as {@link #NO_EXPIRY}
     */
    default Optional<Duration> timeToLive() {
        long millis = remainTimeToLive();
        if (millis == -2) {
            return Optional.empty();
        }
        return Optional.of(millis == -1 ? NO_EXPIRY : Duration.ofMillis(millis));
    }

    /** What {@link #timeToLive()} reads for a lock key without expiry: the longest {@code Duration}. */
    Duration NO_EXPIRY = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    /**
     * The calling thread's current hold, if it has one in this client, including a hold that was
     * lost and not yet unlocked. No round trip.
     *
     * @return the hold, or empty if the calling thread has none in this client
     */
    Optional<Lease> currentLease();

    /**
     * The fencing token of the calling thread's current hold: strictly greater than every token
     * issued before it for this lock name (see README, "Fencing tokens", for when it is not). No
     * round trip.
     *
     * @return the token issued when the hold was first acquired
     * @throws IllegalMonitorStateException if the thread does not hold the lock
     */
    default long getFencingToken() {
        return currentLease()
                .orElseThrow(() -> new IllegalMonitorStateException(
                        "lock '" + getName() + "' is not held by the current thread"))
                .fencingToken();
    }

    // --- asynchronous API: ownership by an explicit owner token instead of the calling thread ---

    /**
     * Acquires the lock for {@code owner}, an id the caller chooses (a task, a request, a
     * coroutine), not the calling thread: any thread may later release it with
     * {@link #unlockAsync(long)} and the same owner. Owner tokens and thread ids never collide.
     * Reentrant per owner. Never blocks; the future completes on a Holdfast thread with the hold,
     * or fails as the blocking methods would throw. Cancelling the returned future stops waiting
     * and leaves nothing held. An owner acquires one lock at a time: while an acquisition for
     * {@code owner} is still in progress, another fails at once with {@link IllegalStateException}.
     *
     * @param owner the owner token the hold belongs to
     * @param leaseTime {@code > 0} for a lease that expires, {@code < 0} for a watchdog-renewed one
     * @param unit the unit of {@code leaseTime}
     * @return a future completed with the hold once acquired
     * @throws IllegalArgumentException if {@code leaseTime == 0}, or {@code leaseTime > 0} is outside
     *     [{@link #MIN_LEASE_MILLIS}, {@link #MAX_LEASE_MILLIS}] ms
     */
    CompletableFuture<Lease> lockAsync(long owner, long leaseTime, TimeUnit unit);

    /**
     * Like {@link #lockAsync} but gives up after {@code waitTime}: completes with the hold, or with
     * an empty optional if the time elapsed (nothing held).
     *
     * @param owner the owner token the hold belongs to
     * @param waitTime the longest time to wait; negative means "do not wait"
     * @param leaseTime {@code > 0} for a lease that expires, {@code < 0} for a watchdog-renewed one
     * @param unit the unit of {@code waitTime} and {@code leaseTime}
     * @return a future completed with the hold, or with an empty optional if the time elapsed first
     * @throws IllegalArgumentException as {@link #lockAsync} does for {@code leaseTime}
     */
    CompletableFuture<Optional<Lease>> tryLockAsync(long owner, long waitTime, long leaseTime, TimeUnit unit);

    /**
     * Releases one level of {@code owner}'s hold; fails as {@link #unlock()} would throw.
     *
     * @param owner the owner token the hold belongs to
     * @return a future completed once the level is released, or failed with
     *     {@link IllegalMonitorStateException} (not held) or {@link LockLostException} (lost)
     */
    CompletableFuture<Void> unlockAsync(long owner);

    /** Not supported yet: distributed conditions need their own protocol. */
    @Override
    default Condition newCondition() {
        throw new UnsupportedOperationException("conditions are not supported by Holdfast locks yet");
    }
}
