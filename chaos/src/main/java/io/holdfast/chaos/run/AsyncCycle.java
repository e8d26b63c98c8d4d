package io.holdfast.chaos.run;

import io.holdfast.Lease;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.chaos.history.Hold;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One acquisition with the asynchronous API and an explicit owner token: {@code lockAsync} or
 * {@code tryLockAsync}, lease explicit or watchdog, re-entered 0–2 times, released with
 * {@code unlockAsync}. A future that does not complete within {@link #HUNG} is an error (the
 * API promises completion or failure within the command timeout per round trip).
 */
final class AsyncCycle {

    static final long HUNG = 30;

    private final ChaosWorker worker;
    private final RLock lock;
    private final char role;
    private final long ownerToken;
    private final String owner;
    private final Random random;

    AsyncCycle(ChaosWorker worker, RLock lock, char role, long ownerToken, Random random) {
        this.worker = worker;
        this.lock = lock;
        this.role = role;
        this.ownerToken = ownerToken;
        this.owner = "a" + ownerToken;
        this.random = random;
    }

    void run() throws InterruptedException {
        long leaseMs = random.nextBoolean() ? 300 + random.nextInt((int) ChaosWorker.MAX_EXPLICIT_LEASE_MS - 300) : -1;
        long waitStart = System.nanoTime();
        Optional<Lease> got;
        try {
            got = random.nextBoolean()
                    ? Optional.of(await(lock.lockAsync(ownerToken, leaseMs, TimeUnit.MILLISECONDS)))
                    : await(lock.tryLockAsync(ownerToken, random.nextInt(2000), leaseMs, TimeUnit.MILLISECONDS));
        } catch (Failure f) {
            worker.recordWait(owner, lock, role, waitStart, "FAIL:" + f.getCause().getClass().getSimpleName());
            record("acquire-async", f);
            return;
        }
        long start = System.nanoTime();
        worker.recordWait(owner, lock, role, waitStart, got.isPresent() ? "GOT" : "TIMEOUT");
        if (got.isEmpty()) {
            return;
        }
        Lease lease = got.get();
        AtomicLong lostAt = ChaosWorker.watchLoss(lease);
        int levels = 1;
        for (int i = random.nextInt(3); i > 0; i--) {
            try {
                await(lock.lockAsync(ownerToken, leaseMs, TimeUnit.MILLISECONDS));
                levels++;
            } catch (Failure f) {
                if (!(f.getCause() instanceof LockLostException)) { // documented: re-entering a lost hold reports the loss
                    record("re-enter-async", f);
                }
            }
        }
        Thread.sleep(ChaosWorker.sectionMillis(random, leaseMs));
        String outcome = Hold.OK;
        for (; levels > 1; levels--) {
            outcome = BlockingCycle.merge(outcome, unlockOnce("unlock-inner-async"));
        }
        long believedUntil = lease.validUntilNanos();
        long end = System.nanoTime();
        outcome = BlockingCycle.merge(outcome, unlockOnce("unlock-async"));
        worker.recordHold(owner, lock, lease, role, start, end, believedUntil, outcome, lostAt);
    }

    /** Releases one level, retrying like {@code BlockingCycle} after Redis was unreachable or slow. */
    private String unlockOnce(String where) throws InterruptedException {
        String first = null;
        for (int attempt = 0; attempt <= ChaosWorker.UNLOCK_RETRIES; attempt++) {
            try {
                await(lock.unlockAsync(ownerToken));
                return first == null ? Hold.OK : first;
            } catch (Failure f) {
                Throwable cause = f.getCause();
                if (cause instanceof LockLostException) {
                    return Hold.LOST;
                }
                if (cause instanceof IllegalMonitorStateException && first != null) {
                    return first;
                }
                record(where, f);
                if (!ChaosWorker.expected(cause)) {
                    return "FAIL:" + cause.getClass().getSimpleName();
                }
                if (first == null) {
                    first = "FAIL:" + cause.getClass().getSimpleName();
                }
                ChaosWorker.backOff();
            }
        }
        return first;
    }

    private void record(String where, Failure f) {
        if (!ChaosWorker.expected(f.getCause())) {
            worker.error(owner, where, f.getCause());
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws InterruptedException, Failure {
        try {
            return future.get(HUNG, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new Failure(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new Failure(new TimeoutException("future not completed within " + HUNG + " s"));
        } catch (RuntimeException e) {
            throw new Failure(e);
        }
    }

    /** A failed or hung future, with its cause. */
    private static final class Failure extends Exception {
        Failure(Throwable cause) {
            super(cause);
        }
    }
}
