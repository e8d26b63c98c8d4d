package io.holdfast.chaos.run;

import io.holdfast.Lease;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.chaos.history.Hold;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One acquisition by the calling thread with the blocking API, in one of four styles picked at
 * random: {@code lock()} with the watchdog, {@code lock(lease)}, {@code tryLock(wait, lease)} (lease
 * explicit or watchdog), or {@code lock()} re-entered 1–3 times. Records the wait and the hold.
 */
final class BlockingCycle {

    private final ChaosWorker worker;
    private final RLock lock;
    private final char role;
    private final String owner;
    private final Random random;

    BlockingCycle(ChaosWorker worker, RLock lock, char role, String owner, Random random) {
        this.worker = worker;
        this.lock = lock;
        this.role = role;
        this.owner = owner;
        this.random = random;
    }

    void run() throws InterruptedException {
        int style = random.nextInt(4);
        long leaseMs = style == 1 || (style == 2 && random.nextBoolean())
                ? 300 + random.nextInt((int) ChaosWorker.MAX_EXPLICIT_LEASE_MS - 300) : -1;
        int nested = style == 3 ? 1 + random.nextInt(3) : 0;
        long waitStart = System.nanoTime();
        try {
            boolean got = true;
            switch (style) {
                case 1 -> lock.lock(leaseMs, TimeUnit.MILLISECONDS);
                case 2 -> got = lock.tryLock(random.nextInt(2000), leaseMs, TimeUnit.MILLISECONDS);
                default -> lock.lock();
            }
            long start = System.nanoTime();
            worker.recordWait(owner, lock, role, waitStart, got ? "GOT" : "TIMEOUT");
            if (got) {
                hold(start, leaseMs, nested);
            }
        } catch (RuntimeException e) {
            worker.recordWait(owner, lock, role, waitStart, "FAIL:" + e.getClass().getSimpleName());
            if (!ChaosWorker.expected(e)) {
                worker.error(owner, "acquire", e);
            }
        }
    }

    private void hold(long start, long leaseMs, int nested) throws InterruptedException {
        Optional<Lease> current = lock.currentLease();
        if (current.isEmpty()) {
            worker.error(owner, "currentLease", new IllegalStateException("no lease right after acquire"));
            unlockQuietly();
            return;
        }
        Lease lease = current.get();
        AtomicLong lostAt = ChaosWorker.watchLoss(lease);
        int levels = 1;
        String outcome = Hold.OK;
        for (int i = 0; i < nested; i++) {
            try {
                lock.lock();
                levels++;
            } catch (LockLostException e) {
                // documented: re-entering a hold that was lost reports the loss (the outer unlock will too)
            } catch (RuntimeException e) {
                record("re-enter", e);
            }
        }
        Thread.sleep(ChaosWorker.sectionMillis(random, leaseMs));
        for (; levels > 1; levels--) {
            outcome = merge(outcome, unlockOnce("unlock-inner"));
        }
        long believedUntil = lease.validUntilNanos();
        long end = System.nanoTime();
        outcome = merge(outcome, unlockOnce("unlock"));
        worker.recordHold(owner, lock, lease, role, start, end, believedUntil, outcome, lostAt);
    }

    /**
     * Releases one level. An unlock that failed with Redis unreachable or slow is retried (up to
     * {@link ChaosWorker#UNLOCK_RETRIES} times), so that the thread does not keep a stale hold into its
     * next cycle; a retry may find the level already released ({@code IllegalMonitorStateException}),
     * which is expected after a failure whose command did reach the server. Returns the first
     * attempt's outcome, or {@link Hold#LOST} if any attempt reported the loss.
     */
    private String unlockOnce(String where) {
        String first = null;
        for (int attempt = 0; attempt <= ChaosWorker.UNLOCK_RETRIES; attempt++) {
            try {
                lock.unlock();
                return first == null ? Hold.OK : first;
            } catch (LockLostException e) {
                return Hold.LOST;
            } catch (IllegalMonitorStateException e) {
                if (first == null) {
                    worker.error(owner, where, e);
                    return "FAIL:" + e.getClass().getSimpleName();
                }
                return first;
            } catch (RuntimeException e) {
                record(where, e);
                if (!ChaosWorker.expected(e)) {
                    return "FAIL:" + e.getClass().getSimpleName();
                }
                if (first == null) {
                    first = "FAIL:" + e.getClass().getSimpleName();
                }
                ChaosWorker.backOff();
            }
        }
        return first;
    }

    private void record(String where, RuntimeException e) {
        if (!ChaosWorker.expected(e)) {
            worker.error(owner, where, e);
        }
    }

    /** The first non-OK outcome wins: a level that reported the loss reported it for the hold. */
    static String merge(String so, String next) {
        return Hold.OK.equals(so) ? next : Hold.LOST.equals(next) ? Hold.LOST : so;
    }

    private void unlockQuietly() {
        try {
            lock.unlock();
        } catch (RuntimeException ignored) {
            // already recorded as an error
        }
    }
}
