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
     * Ends the calling thread's hold like its last {@link #unlock()}, except that the lock is not
     * freed now: it stays taken on the server for {@code delay} more, then its lease runs out. The
     * lease becomes exactly {@code delay} from now (shorter or longer than it was); the watchdog stops
     * renewing at once. Until then nobody can take the lock, this thread and client included (the
     * server keeps it under a field that no holder has), and {@link #forceUnlock()} still frees it.
     * Waiters are not told when it runs out: they find it free at their next look (within 5 s).
     * This is the "lock at least for" of scheduled jobs ({@link #tryRunJob}): nodes whose clocks or
     * schedules differ slightly do not run the job again right after it finished. Idempotent under
     * a re-send after a reconnect. Only the reentrant and fair locks have it.
     *
     * @param delay how long the lock stays taken from now: at least 1 ms, at most 365 days
     * @param unit the unit of {@code delay}
     * @throws IllegalArgumentException if delay is outside those bounds
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock, or holds
     *     more than one level of it (unlock the inner levels first)
     * @throws LockLostException if the thread's hold was lost, as {@link #unlock()}
     * @throws UnsupportedOperationException for a kind of lock that has no such release (read,
     *     write, quorum and multi-locks)
     * @throws RedisUnavailableException if Redis cannot be reached (the hold is kept, as
     *     {@link #unlock()} keeps it)
     */
    default void unlockAfter(long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("lock '" + getName() + "' cannot unlock after a delay;"
                + " the reentrant and fair locks can");
    }

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

    /**
     * An action run under the lock by {@link #callLocked}: a {@link java.util.concurrent.Callable}
     * whose exception type the caller's code keeps ({@code callable::call} fits, and then throws
     * {@link Exception}).
     *
     * @param <T> what the action returns
     * @param <E> what the action may throw
     */
    @FunctionalInterface
    interface Action<T, E extends Exception> {

        /**
         * Runs the action.
         *
         * @return its result
         * @throws E as the action does
         */
        T call() throws E;
    }

    /**
     * Runs {@code action} holding the lock: {@link #lock()}, then the action, then {@link #unlock()}
     * in a {@code finally}, on the calling thread. Exceptions: if the action throws, that exception
     * propagates, with an exception of the unlock (e.g. {@link LockLostException}: the lease was lost
     * while the action ran) added to it as suppressed; if the action completes and the unlock throws,
     * the unlock's exception propagates (the action ran, but not surely alone). Reentrant: a thread
     * that already holds the lock takes one more level and gives it back.
     *
     * @param action what to run holding the lock
     * @throws NullPointerException if action is null (nothing is acquired)
     */
    default void runLocked(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        callLocked(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Like {@link #runLocked}, for an action with a result: {@link #lock()}, the action,
     * {@link #unlock()} in a {@code finally}, with the same rules for exceptions.
     *
     * @param <T> the action's result
     * @param <E> what the action may throw
     * @param action what to run holding the lock
     * @return the action's result
     * @throws E if the action throws it (with an unlock failure suppressed in it)
     * @throws NullPointerException if action is null (nothing is acquired)
     */
    default <T, E extends Exception> T callLocked(Action<T, E> action) throws E {
        java.util.Objects.requireNonNull(action, "action");
        lock();
        return LockTemplates.callThenUnlock(this, action);
    }

    /**
     * Runs {@code action} holding the lock if the lock can be had within {@code waitTime}
     * ({@link #tryLock(long, TimeUnit)}): then as {@link #runLocked}, and returns {@code true}; if the
     * time elapses first, returns {@code false} without running it (nothing held).
     *
     * @param waitTime the longest time to wait for the lock; negative means "do not wait"
     * @param unit the unit of {@code waitTime}
     * @param action what to run holding the lock
     * @return whether the action ran
     * @throws InterruptedException if interrupted while waiting for the lock (the action did not run,
     *     nothing is held)
     */
    default boolean tryRunLocked(long waitTime, TimeUnit unit, Runnable action) throws InterruptedException {
        java.util.Objects.requireNonNull(action, "action");
        if (!tryLock(waitTime, unit)) {
            return false;
        }
        LockTemplates.callThenUnlock(this, () -> {
            action.run();
            return null;
        });
        return true;
    }

    /**
     * Runs a scheduled job at most once at a time across processes, ShedLock-style: takes the lock
     * without waiting, with an explicit lease of {@code atMostFor} (no watchdog: if the job hangs or
     * its process dies, the lock frees itself at the latest then), runs {@code job}, and on its end
     * keeps the lock taken until {@code atLeastFor} after it was taken ({@link #unlockAfter}), or
     * unlocks at once if that time has passed. Returns {@code false} without running the job if the
     * lock is taken, e.g. by another node that ran the job less than {@code atLeastFor} ago.
     * {@code atMostFor} must be longer than the job can take: a job that overruns it has lost the
     * lock (another node may have started the job) and this method then throws
     * {@link LockLostException} after it.
     *
     * @param atMostFor the lease: the longest the lock is held, at least {@value #MIN_LEASE_MILLIS} ms
     * @param atLeastFor how long after it was taken the lock stays taken at least; zero to unlock as
     *     soon as the job ends; not longer than {@code atMostFor}
     * @param job the job
     * @return whether the job ran
     * @throws IllegalArgumentException if the durations are out of those bounds (nothing is taken)
     * @throws InterruptedException if the thread is interrupted on entry (the job did not run)
     * @throws LockLostException if the job overran {@code atMostFor} (the job's own exception wins,
     *     with this one suppressed in it)
     * @throws RedisUnavailableException if Redis cannot be reached (the job did not run; or, at its
     *     end, the lock is left to its lease)
     */
    default boolean tryRunJob(Duration atMostFor, Duration atLeastFor, Runnable job) throws InterruptedException {
        return LockTemplates.tryRunJob(this, atMostFor, atLeastFor, job);
    }

    /** The name of the condition {@link #newCondition()} returns. */
    String DEFAULT_CONDITION = "default";

    /**
     * The lock's default condition: {@code newCondition(DEFAULT_CONDITION)}, see
     * {@link #newCondition(String)}.
     *
     * <p><b>Unlike {@code java.util.concurrent}</b>, every call returns the same distributed
     * condition (two objects, one condition), because another process must be able to reach it
     * by a name. Code that needs several conditions of one lock (a bounded buffer's "not full" and
     * "not empty") must name them with {@link #newCondition(String)}: with one shared condition, a
     * {@code signal()} meant for a producer could wake a consumer and be used up.
     *
     * @return the condition named {@value #DEFAULT_CONDITION} of this lock
     * @throws UnsupportedOperationException if this kind of lock has no conditions (a read or
     *     write lock)
     */
    @Override
    default Condition newCondition() {
        return newCondition(DEFAULT_CONDITION);
    }

    /**
     * The distributed condition called {@code name} of this lock: every client that asks a lock of
     * this name (reentrant or fair: they share their keys) for a condition of this name gets the same
     * condition. Obtaining it does not talk to Redis; it keeps no state, so any number of objects
     * for it may be made.
     *
     * <p><b>Contract</b> ({@link Condition}'s, across processes). Every method needs the calling
     * thread to hold the lock (a hold of the blocking API: a hold of an owner token, taken with
     * {@link #lockAsync}, does not count), else it throws {@link IllegalMonitorStateException}
     * ({@link LockLostException} if its hold was lost). {@code await} in all its forms releases
     * <em>every</em> level of the thread's hold and, before it returns or throws (also on a timeout
     * or an interrupt), takes the lock again with as many levels, waiting for it without a time
     * limit and ignoring interrupts meanwhile (an interrupt that comes then is kept in the thread's
     * interrupt status). The hold taken again is a new hold: a new fencing token, and the same kind
     * of lease (watchdog-renewed; or an explicit lease of the same length, counted from the new
     * acquisition). {@code signal()} wakes the longest-waiting live waiter of the condition in any
     * process, {@code signalAll()} every waiter registered before it; a signal with no waiter does
     * nothing. The interruptible forms throw {@link InterruptedException} (status cleared) if the
     * thread is interrupted on entry or while waiting and was not signalled first; an interrupt that
     * races with a signal the waiter already got leaves the interrupt status set and returns
     * normally. {@code await(time, unit)} and {@code awaitUntil} return {@code false} only if the
     * waiter was not signalled before its deadline; {@code awaitNanos} returns the time left, as
     * {@code java.util.concurrent}'s does.
     *
     * <p><b>No lost signal.</b> A waiter subscribes to the condition's channel, then registers on
     * the server, in the lock's Cluster slot, while it still holds the lock; only then does it
     * release the lock. A signaller holds the lock, so a signal either sees the registration or
     * comes before it while the waiter held the lock (impossible). The signal takes the waiter's
     * entry off the server in the same script that publishes the wake-up; the waiter reads the
     * absence of its entry as its signal, so a lost message is made up for by the watchdog's renewal
     * of the entry (which finds it gone) or by a look at the server every
     * {@link HoldfastOptions#fairWaiterTimeout()}.
     *
     * <p><b>Spurious wake-ups</b> are allowed, as {@link Condition} says; they happen only when a
     * waiter's entry was dropped as dead (below), when a signal is re-sent after a reconnect, or when
     * the waiter cannot ask the server whether it was signalled.
     *
     * <p><b>Dead waiters.</b> Each waiter's entry has a deadline in server time,
     * {@link HoldfastOptions#fairWaiterTimeout()} ahead, which the watchdog renews while the waiter
     * waits. A waiter whose process died is dropped by the next signal that meets it (a signal never
     * goes to it) and its keys expire after three waiter timeouts.
     *
     * <p><b>Keys</b> (all in the lock's hash tag): the condition's queue
     * {@code <lock key>:condition:<name>} (a ZSET, also the name of its pub/sub channel) and
     * {@code <lock key>:condition-deadlines:<name>} (a ZSET). A lock name with its own hash tag that
     * ends with {@code ":condition"} or contains {@code ":condition:"} is refused.
     *
     * <p><b>Redis unreachable.</b> The methods throw {@link RedisUnavailableException} (or
     * {@link HoldfastTimeoutException}); an {@code await} that cannot take the lock again throws
     * that exception without the lock. Closing the client ends every {@code await} of its threads at
     * once with {@link IllegalStateException}, without the lock.
     *
     * @param name the condition's name: any non-empty string that does not end with <code>'}'</code>
     *     (the key of condition {@code "x}"} of lock {@code "a"} would be the key of lock
     *     {@code "a}:condition:x"})
     * @return the condition
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is empty or ends with <code>'}'</code>
     * @throws UnsupportedOperationException if this kind of lock has no conditions (a read or
     *     write lock)
     */
    default Condition newCondition(String name) {
        throw new UnsupportedOperationException("lock '" + getName() + "' has no conditions");
    }
}
