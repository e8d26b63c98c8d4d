package io.holdfast.quorum;

import io.holdfast.LeaseListener;
import java.util.concurrent.Executor;
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
 * <p>Member owner tokens: every group acquisition takes its member holds with an owner token of
 * its own, drawn from a counter that starts at 2^62 (far from the small numbers applications pick),
 * so a member hold is never a re-entry of another acquisition's hold, and a late reply of an
 * abandoned acquisition cannot be taken for the next one's.
 */
final class GroupContext {

    private static final AtomicLong MEMBER_OWNERS = new AtomicLong(1L << 62);

    final ScheduledExecutorService scheduler;
    final Executor callbacks;
    final LeaseListener listener;

    GroupContext(ScheduledExecutorService scheduler, Executor callbacks, LeaseListener listener) {
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.listener = listener;
    }

    /** A fresh owner token for one group acquisition's member holds. */
    long nextMemberOwner() {
        return MEMBER_OWNERS.incrementAndGet();
    }

    /** The monotonic clock every validity is read on: the members' default ticker. */
    long now() {
        return System.nanoTime();
    }

    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return scheduler.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** A random back-off in [1 ms, {@code maxMillis}] ms, in nanoseconds. */
    static long backoffNanos(long maxMillis) {
        return TimeUnit.MILLISECONDS.toNanos(1 + ThreadLocalRandom.current().nextLong(Math.max(1, maxMillis)));
    }
}
