package io.holdfast.internal;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * One waiting acquisition, as the pub/sub hub and the timer see it.
 *
 * <p>States: RUNNING — an attempt is in flight (or about to be); PARKED — waiting for a wake-up
 * or its timeout; WOKEN — woken while RUNNING, so the next {@link #park} retries at once instead of
 * sleeping (this is what makes a release between "attempt failed" and "parked" impossible to
 * miss); DONE — finished, takes no wake-ups.
 *
 * <p>Concurrency: {@link #wake} comes from the pub/sub thread, timeouts from the timer thread,
 * {@link #park} from whichever thread completed the last attempt. Transitions happen under the
 * monitor; the retry runs outside it. A generation number makes a stale timeout (one whose park
 * already ended by a wake-up) do nothing, so at most one attempt is ever in flight.
 *
 * <p>Hand-over ({@link #handedOver}): the server already granted the lock to one placement of this
 * waiter's holder in the lock's queue. If it is the placement this waiter waits with now
 * ({@link #placement(String)}), a PARKED waiter runs its hand-over action with the fencing token
 * instead of an attempt. Anything else is only a wake-up: a RUNNING waiter (its attempt in flight,
 * or the next one, finds the hold granted and reports it acquired), and a message naming another
 * placement of this acquisition: it may be late, for a grant that has run out since and after
 * which the waiter queued again (trusting it let two holders in at once), so an attempt asks the
 * server.
 *
 * <p>Quiet parks ({@link #park(long, long, Timer, Runnable)}): a waiter whose place the server
 * keeps in the lock's queue does not need to look at the lock on a timer of its own, as long as
 * one waiter of its client does ({@link PubSubHub#enlist}): any attempt on a lock freed without a
 * message (a lease that ran out) hands it to the first live waiter in the queue, and a waiter's
 * own grant reaches it as a message, or else its place's renewal finds the place gone and wakes it
 * ({@link Client#waitMarkerGone}). So such a waiter parks with the long, quiet delay unless it is
 * its client's poller of the lock ({@link #poll}); becoming the poller while parked quietly cuts
 * the park to the timed delay, from then. A quiet park also has a backstop, in case a wake-up it
 * counts on were missed: it ends after the backstop delay, unless its client's waiters of the lock
 * looked at the lock lately (the poller's timed looks are going on): then it parks quietly for
 * another backstop delay ({@link #park(long, long, long, BooleanSupplier, Timer, Runnable)}).
 */
public final class Waiter {

    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final int WOKEN = 2;
    private static final int DONE = 3;

    private final String holderId;
    private final String acquisitionTag;
    private final LongConsumer onHandOver;
    private volatile String placement;
    private int state = RUNNING;
    private long generation;
    private Runnable retry;
    private Timeout timeout;
    private Timer timer;
    /** This waiter looks at the lock on its timed delay for its client's other waiters of it. */
    private boolean polling;
    /** The current park uses the quiet delay. */
    private boolean quiet;
    /**
     * When the current park's timed delay ends ({@link System#nanoTime}, the clock the timer runs
     * on): a quiet park cut short by {@link #poll} ends then (at once if that has passed).
     */
    private long timedDueNanos;
    /** When the current quiet park ends on its own: the waiter's deadline (or the backstop, without {@link #stillPolled}). */
    private long quietDueNanos;
    /** The quiet park's backstop delay, in ns, when {@link #stillPolled} is set. */
    private long backstopNanos;
    /** When the current park began ({@link System#nanoTime}): re-arms stop {@link #REARMS} backstops after it. */
    private long parkedAtNanos;
    /**
     * How many backstop delays a quiet park may last in all while its client polls the lock: then it
     * attempts anyway (5 minutes with Acquisition's 30 s backstop), a last resort against a wake-up
     * missed in a way nobody foresaw.
     */
    static final int REARMS = 10;
    /** Whether the client still looks at the lock (see {@link #park(long, long, long, BooleanSupplier, Timer, Runnable)}); null: no re-arm. */
    private BooleanSupplier stillPolled;
    /** Longest quiet delay taken as given: longer ones (an unbounded wait) are capped, so that times never overflow. */
    private static final long LONGEST_QUIET_MILLIS = TimeUnit.DAYS.toMillis(365);
    /** Whether this waiter has parked at all ({@link #timedDueNanos} means something). */
    private boolean parkedOnce;

    public Waiter(String holderId) {
        this(holderId, 0, null);
    }

    /**
     * @param acquisitionId the acquisition this waiter waits for; a hand-over naming another one is
     *     ignored (it is late: that acquisition already ended)
     * @param onHandOver runs with the fencing token when a hand-over reaches this waiter parked;
     *     null: a hand-over is only a wake-up
     */
    public Waiter(String holderId, long acquisitionId, LongConsumer onHandOver) {
        this.holderId = holderId;
        this.acquisitionTag = acquisitionId + ".";
        this.onHandOver = onHandOver;
    }

    /**
     * The holder this waiter acquires for: a {@link WakeMessage#HOLDER_PREFIX} message (a
     * read-write release waking the first waiting writer) and a hand-over name the waiter by it.
     */
    public String holderId() {
        return holderId;
    }

    /**
     * Wakes this waiter.
     *
     * @return {@code true} if it took the wake-up (it will attempt now or right after its attempt
     *     in flight); {@code false} if it is finished or already has a wake-up pending
     */
    public boolean wake() {
        Runnable run;
        synchronized (this) {
            switch (state) {
                case PARKED -> {
                    state = RUNNING;
                    cancelTimeout();
                    run = retry;
                }
                case RUNNING -> {
                    state = WOKEN;
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
        run.run();
        return true;
    }

    /**
     * The placement ({@code "<acquisition>.<placement>"}) this waiter's acquisition waits with now,
     * as its last attempt's reply said; null before it queued.
     */
    public void placement(String current) {
        this.placement = current;
    }

    /** The placement set last, or null. */
    public String placement() {
        return placement;
    }

    /**
     * The lock was handed over to placement {@code placement} ({@code "<acquisition>.<n>"}) of this
     * waiter's holder, with fencing token {@code token}.
     *
     * @return {@code true} if it took it (as a hand-over or as a wake-up), {@code false} if it is
     *     finished, already has a wake-up pending, or waits for another acquisition
     */
    public boolean handedOver(String placement, long token) {
        if (!placement.startsWith(acquisitionTag)) {
            return false;
        }
        if (onHandOver == null || !placement.equals(this.placement)) {
            return wake();
        }
        synchronized (this) {
            switch (state) {
                case PARKED -> {
                    state = RUNNING;
                    cancelTimeout();
                }
                case RUNNING -> {
                    state = WOKEN;
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
        onHandOver.accept(token);
        return true;
    }

    /**
     * After a failed attempt: runs {@code retry} when woken or after {@code delayMillis},
     * whichever is first; at once if a wake-up came while the attempt was in flight.
     */
    public void park(long delayMillis, Timer timer, Runnable retry) {
        park(delayMillis, delayMillis, timer, retry);
    }

    /**
     * As {@link #park(long, Timer, Runnable)}, but waits {@code quietDelayMillis} instead of
     * {@code delayMillis} unless this waiter is its client's poller of the lock ({@link #poll}).
     */
    public void park(long delayMillis, long quietDelayMillis, Timer timer, Runnable retry) {
        park(delayMillis, quietDelayMillis, quietDelayMillis, null, timer, retry);
    }

    /**
     * As {@link #park(long, long, Timer, Runnable)}, where {@code quietDelayMillis} is how long this
     * waiter may wait at all (its deadline; {@link Long#MAX_VALUE}: unbounded), and a quiet park
     * ends after {@code backstopMillis} unless {@code stillPolled} says its client's waiters of the
     * lock have looked at the lock lately: then it parks quietly for another {@code backstopMillis},
     * never past {@code quietDelayMillis}, and for {@value #REARMS} backstop delays at most in all.
     * So the backstop acts only when the client's polling of the lock has stalled, or once the park
     * has lasted that long; a live queue makes no backstop attempts before then, whatever its length.
     *
     * @param stillPolled asked on the timer thread, under this waiter's monitor: must be quick and
     *     take no lock of its own
     */
    public void park(long delayMillis, long quietDelayMillis, long backstopMillis, BooleanSupplier stillPolled,
            Timer timer, Runnable retry) {
        synchronized (this) {
            if (state == DONE) {
                return;
            }
            if (state != WOKEN) {
                state = PARKED;
                this.retry = retry;
                this.timer = timer;
                long now = System.nanoTime();
                long quietMillis = Math.min(quietDelayMillis, LONGEST_QUIET_MILLIS);
                this.timedDueNanos = now + TimeUnit.MILLISECONDS.toNanos(delayMillis);
                this.quietDueNanos = now + TimeUnit.MILLISECONDS.toNanos(quietMillis);
                this.backstopNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, backstopMillis));
                this.parkedAtNanos = now;
                this.stillPolled = stillPolled;
                this.parkedOnce = true;
                long firstQuiet = Math.min(quietMillis, backstopMillis);
                this.quiet = !polling && firstQuiet > delayMillis;
                schedule(quiet ? firstQuiet : delayMillis);
                return;
            }
            state = RUNNING;
        }
        retry.run();
    }

    /** Makes this waiter its client's poller of the lock: its parks use their timed delay from now on. */
    public void poll() {
        poll(null);
    }

    /**
     * Makes this waiter its client's poller of the lock, in place of {@code previous} (which left):
     * its parks use their timed delay from now on, and a quiet park it is in now ends at the
     * earlier of the two waiters' timed looks still ahead (its own, from its last attempt; the
     * previous poller's, from a fresher one), or at once if neither is ahead; and never after its
     * own quiet park would have (its deadline). So the client's looks at the lock go on as one
     * poller's would: no attempt per hand-on, and none later than the fresher reading says.
     */
    public void poll(Waiter previous) {
        long inheritedDue = 0;
        boolean inherited = false;
        if (previous != null) {
            synchronized (previous) {
                inherited = previous.parkedOnce;
                inheritedDue = previous.timedDueNanos;
            }
        }
        synchronized (this) {
            polling = true;
            if (state == PARKED && quiet) {
                quiet = false;
                cancelTimeout();
                long now = System.nanoTime();
                long due = now;
                boolean ahead = false;
                if (timedDueNanos - now > 0) {
                    due = timedDueNanos;
                    ahead = true;
                }
                if (inherited && inheritedDue - now > 0 && (!ahead || inheritedDue - due < 0)) {
                    due = inheritedDue;
                }
                if (quietDueNanos - due < 0) {
                    due = quietDueNanos;
                }
                // this park is now a timed one ending then: a poller that takes over from this one
                // before then inherits that look, so a chain of hand-ons keeps one poller's cadence
                timedDueNanos = due;
                schedule(TimeUnit.NANOSECONDS.toMillis(due - now));
            }
        }
    }

    /** Whether {@link #poll} was called (for tests). */
    synchronized boolean polling() {
        return polling;
    }

    /** Whether this waiter is finished ({@link #done}). */
    public synchronized boolean isDone() {
        return state == DONE;
    }

    private void schedule(long delayMillis) {
        long parkedAs = ++generation;
        timeout = timer.newTimeout(t -> fire(parkedAs), Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes no more wake-ups and drops its timeout.
     *
     * @return whether a wake-up was pending (taken while an attempt was in flight, not yet acted on);
     *     a waiter that leaves without the lock must pass such a wake-up on
     */
    public boolean done() {
        synchronized (this) {
            boolean pending = state == WOKEN;
            state = DONE;
            cancelTimeout();
            return pending;
        }
    }

    private void fire(long parkedAs) {
        Runnable run;
        synchronized (this) {
            if (state != PARKED || generation != parkedAs) {
                return;
            }
            if (quiet && stillPolled != null) {
                // the backstop, or the waiter's deadline: park on at the backstop if the client's
                // polling of the lock goes on, the deadline is still ahead, and the park has not
                // lasted REARMS backstops yet
                long now = System.nanoTime();
                long left = quietDueNanos - now;
                if (left > TimeUnit.MILLISECONDS.toNanos(1) && now - parkedAtNanos < (REARMS - 1) * backstopNanos
                        && stillPolled.getAsBoolean()) {
                    schedule(TimeUnit.NANOSECONDS.toMillis(Math.min(left, backstopNanos)));
                    return;
                }
            }
            state = RUNNING;
            timeout = null;
            run = retry;
        }
        run.run();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }
}
