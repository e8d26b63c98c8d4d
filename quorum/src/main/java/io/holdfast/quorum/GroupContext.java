package io.holdfast.quorum;

import io.holdfast.LeaseListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the group locks of one {@link QuorumHoldfast} (or the multi-locks of the process) share:
 * a scheduler for per-member timeouts, back-offs and the sweep of dead holder threads, the executor
 * user code runs on, the lease listener, and the owner tokens the group takes its member holds
 * with.
 *
 * <p>Member owner tokens: every attempt on a member (each round's, each wait at the gate) uses an
 * owner token of its own, drawn from a counter that starts at 2^62 (far from the small numbers
 * applications pick), so a member hold is never a re-entry of another's, and a late reply (or the
 * release of a late grant) of one attempt can never be taken for, or take away, another's.
 */
final class GroupContext {

    private static final AtomicLong MEMBER_OWNERS = new AtomicLong(1L << 62);

    final ScheduledExecutorService scheduler;
    final Executor callbacks;
    final LeaseListener listener;
    /**
     * The holds and the fresh acquisitions in progress of every lock of this context, by lock name
     * and holder: a {@link GroupHold} or a {@link GroupAcquisition}. Lock objects keep no state of
     * their own, so two objects of one name behave as one lock, and nothing is kept per name once
     * its holds are gone.
     */
    final ConcurrentMap<Key, Object> registry = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Whether the thread sweep runs (see {@link #sweepThreads}). */
    private final java.util.concurrent.atomic.AtomicBoolean sweeping = new java.util.concurrent.atomic.AtomicBoolean();

    /** A registry key: which lock, which holder. */
    record Key(String lock, Holder holder) {
    }

    GroupContext(ScheduledExecutorService scheduler, Executor callbacks, LeaseListener listener) {
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.listener = listener;
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the context closed and fails every acquisition in progress. */
    void close() {
        closed = true;
        registry.values().forEach(v -> {
            if (v instanceof GroupAcquisition a) {
                a.closed();
            }
        });
    }

    /**
     * Gives back the member holds of every hold still held, for a client whose members' clients
     * stay open (they would renew them for ever); waits up to {@code timeoutMillis} for the answers.
     */
    void giveBackHolds(long timeoutMillis) {
        java.util.List<java.util.concurrent.CompletableFuture<Void>> releases = new java.util.ArrayList<>();
        registry.forEach((k, v) -> {
            if (v instanceof GroupHold h && registry.remove(k, h)) {
                releases.add(h.givenBackAtClose());
            }
        });
        try {
            java.util.concurrent.CompletableFuture.allOf(releases.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the members' clients report their own failures; their holds expire with their leases
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts, if it is not running, the sweep that releases the holds of threads that have ended
     * (see {@link Group}, "Threads that end holding the lock"): every {@code periodMillis} ms while
     * a thread's hold is registered; it stops itself once none is left, so a context nobody uses
     * keeps no timer.
     */
    void sweepThreads(long periodMillis) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable sweep = () -> {
            boolean threadHolds = false;
            for (Object v : registry.values()) {
                if (v instanceof GroupHold h && h.ownerThread != null) {
                    if (h.ownerThread.isAlive()) {
                        threadHolds = true;
                    } else {
                        h.lock.releaseOrphan(h);
                    }
                }
            }
            if (!threadHolds && self[0] != null) {
                self[0].cancel(false);
                sweeping.set(false);
                // a hold registered after the loop above would be left unswept: look once more
                if (registry.values().stream().anyMatch(v -> v instanceof GroupHold h && h.ownerThread != null)) {
                    sweepThreads(periodMillis);
                }
            }
        };
        self[0] = every(sweep, periodMillis);
        if (self[0] == null) {
            sweeping.set(false); // closed
        }
    }

    /** A fresh owner token for one attempt on a member. */
    long nextMemberOwner() {
        return MEMBER_OWNERS.incrementAndGet();
    }

    /** The monotonic clock every validity is read on: the members' default ticker. */
    long now() {
        return System.nanoTime();
    }

    /**
     * Runs {@code task} after {@code delayNanos}; once the client is closed (its scheduler shut
     * down), never: every acquisition has failed by then, and nothing is renewed.
     *
     * @return the scheduled task, or null if it was refused
     */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return scheduler.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Runs {@code task} every {@code periodMillis} until it cancels itself; never once closed. */
    ScheduledFuture<?> every(Runnable task, long periodMillis) {
        try {
            return scheduler.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** A random back-off in [1 ms, {@code maxMillis}] ms, in nanoseconds. */
    static long backoffNanos(long maxMillis) {
        return TimeUnit.MILLISECONDS.toNanos(1 + ThreadLocalRandom.current().nextLong(Math.max(1, maxMillis)));
    }
}
