package io.holdfast;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** The one "action, then unlock in a finally" of {@link RLock}'s templates. */
final class LockTemplates {

    private LockTemplates() {
    }

    /**
     * Runs {@code action} (the lock is held), then unlocks: the action's exception wins, with the
     * unlock's suppressed in it; otherwise the unlock's exception propagates.
     */
    static <T, E extends Exception> T callThenUnlock(RLock lock, RLock.Action<T, E> action) throws E {
        return callThenUnlock(lock::unlock, action);
    }

    /** As {@link #callThenUnlock(RLock, RLock.Action)}, with {@code unlock} as the unlock. */
    private static <T, E extends Exception> T callThenUnlock(Runnable unlock, RLock.Action<T, E> action) throws E {
        T result;
        try {
            result = action.call();
        } catch (Throwable failure) {
            try {
                unlock.run();
            } catch (RuntimeException unlockFailure) {
                failure.addSuppressed(unlockFailure);
            }
            throw failure;
        }
        unlock.run();
        return result;
    }

    /** {@link RLock#tryRunJob}: the lease is the "at most", {@link RLock#unlockAfter} the "at least". */
    static boolean tryRunJob(RLock lock, Duration atMostFor, Duration atLeastFor, Runnable job)
            throws InterruptedException {
        Objects.requireNonNull(atMostFor, "atMostFor");
        Objects.requireNonNull(atLeastFor, "atLeastFor");
        Objects.requireNonNull(job, "job");
        if (atLeastFor.isNegative() || atLeastFor.compareTo(atMostFor) > 0) {
            throw new IllegalArgumentException("atLeastFor (" + atLeastFor + ") must be between zero and atMostFor ("
                    + atMostFor + ")");
        }
        if (atMostFor.toMillis() < RLock.MIN_LEASE_MILLIS || atMostFor.toMillis() > RLock.MAX_LEASE_MILLIS) {
            throw new IllegalArgumentException("atMostFor (" + atMostFor + ") must be between "
                    + RLock.MIN_LEASE_MILLIS + " ms and 365 days");
        }
        if (!lock.tryLock(0, atMostFor.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        long takenAt = System.nanoTime(); // after the grant: the lock is kept at least this long from then
        callThenUnlock(() -> {
            long left = TimeUnit.NANOSECONDS.toMillis(atLeastFor.toNanos() - (System.nanoTime() - takenAt));
            if (left >= 1) {
                lock.unlockAfter(left, TimeUnit.MILLISECONDS);
            } else {
                lock.unlock();
            }
        }, () -> {
            job.run();
            return null;
        });
        return true;
    }
}
