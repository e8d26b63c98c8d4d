package io.holdfast.quorum;

import io.holdfast.RLock;
import io.holdfast.quorum.Group.Pending;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The blocking side of {@link GroupLock}: waiting with or without interrupts, the exceptions the
 * caller sees, and the lease and wait arguments checked as the member locks check them.
 */
final class Blocking {

    private Blocking() {
    }

    /** Waits for {@code p}; on interrupt, cancels it, waits until nothing is held, and throws. */
    static GroupHold awaitInterruptibly(Pending p) throws InterruptedException {
        try {
            return p.result().get();
        } catch (InterruptedException e) {
            awaitUninterruptibly(p.cancel(), "cancelling");
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Waits for {@code f} ignoring interrupts, then sets the interrupt flag again if one came. */
    static <T> T awaitUninterruptibly(CompletableFuture<T> f, String doing) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        Throwable t = GroupAcquisition.unwrap(e);
        if (t instanceof RuntimeException r) {
            return r;
        }
        return new CompletionException(t);
    }

    /**
     * {@code > 0} within [{@link RLock#MIN_LEASE_MILLIS}, {@link RLock#MAX_LEASE_MILLIS}] stays;
     * {@code < 0} (only if allowed) means watchdog; anything else is refused, as the members would.
     */
    static long leaseMillis(long leaseTime, TimeUnit unit, boolean negativeMeansWatchdog) {
        Objects.requireNonNull(unit, "unit");
        if (leaseTime < 0 && negativeMeansWatchdog) {
            return -1;
        }
        if (leaseTime <= 0) {
            throw new IllegalArgumentException("leaseTime must be positive: " + leaseTime + " " + unit);
        }
        if (unit.toNanos(leaseTime) < TimeUnit.MILLISECONDS.toNanos(RLock.MIN_LEASE_MILLIS)) {
            throw new IllegalArgumentException("leaseTime " + leaseTime + " " + unit + " is shorter than the minimum lease of "
                    + RLock.MIN_LEASE_MILLIS + " ms");
        }
        if (unit.toMillis(leaseTime) > RLock.MAX_LEASE_MILLIS) {
            throw new IllegalArgumentException("leaseTime " + leaseTime + " " + unit + " is longer than the maximum lease of "
                    + RLock.MAX_LEASE_MILLIS + " ms (365 days)");
        }
        return unit.toMillis(leaseTime);
    }

    /** {@code < 0} → 0 (do not wait); at or above {@link RLock#MAX_WAIT_NANOS} → -1 (no time limit). */
    static long waitNanos(long waitTime, TimeUnit unit) {
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(waitTime);
        return nanos >= RLock.MAX_WAIT_NANOS ? -1 : Math.max(0, nanos);
    }
}
