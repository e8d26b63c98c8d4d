package io.holdfast.internal;

import io.holdfast.LockLostException;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * A distributed {@link Condition} of an exclusive lock (see {@code RLock.newCondition(String)} for
 * the contract users see). Stateless: every object of one lock and condition name is the same
 * condition, in every client.
 *
 * <p>Algorithm of {@code await}. (1) The waiter subscribes to the condition's channel and waits for
 * the server's confirmation; (2) one script registers it at the tail of the condition's queue, in
 * the lock's slot, if (and only if) its holder still holds the lock on the server; (3) the watchdog
 * starts renewing the registration ({@link ConditionPlace}); (4) it releases every level of its hold
 * through the engine (a hand-over to the lock's next waiter included); (5) it parks until a wake-up
 * (the signal's message, the watchdog finding the entry gone, or a periodic look every waiter
 * timeout) and then asks the server whether its entry is still there: gone means signalled; (6) on
 * its deadline or an interrupt it leaves with one script, whose answer settles a race with a signal
 * exactly (gone already: it was signalled and returns as signalled); (7) it takes the lock again,
 * uninterruptibly, with as many levels as it had and the same kind of lease (watchdog-renewed, or a
 * fresh explicit lease of the same length).
 *
 * <p>No lost signal: a signaller holds the lock, so it runs either before the waiter's
 * registration (the waiter still held the lock then: impossible) or after it; the signal removes the
 * entry in the same script that publishes, and the waiter was subscribed before it registered. A
 * lost message is made up for by the watchdog's renewal of the entry (which reports it gone) and by
 * the periodic look. A waiter whose entry was dropped as dead (it stopped renewing for a waiter
 * timeout: a pause, Redis unreachable) returns as if signalled: a spurious wake-up.
 */
final class EngineCondition implements Condition {

    private static final AtomicLong WAITS = new AtomicLong();
    private static final long NO_LIMIT = Long.MIN_VALUE;

    private final Client ctx;
    private final LockKind kind;
    private final LockKeys keys;
    private final String name;
    private final ConditionQueue server;
    private final String channel;

    EngineCondition(Client ctx, LockKind kind, LockKeys keys, String name) {
        this.ctx = ctx;
        this.kind = kind;
        this.keys = keys;
        this.name = name;
        this.server = new ConditionQueue(ctx.redis(), keys, name);
        this.channel = server.channel();
    }

    @Override
    public void await() throws InterruptedException {
        await(NO_LIMIT, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            await(NO_LIMIT, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = ctx.ticker().nanoTime();
        await(deadline(start, nanosTimeout), true);
        long waited = ctx.ticker().nanoTime() - start;
        return nanosTimeout >= io.holdfast.RLock.MAX_WAIT_NANOS ? nanosTimeout : nanosTimeout - waited;
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(time);
        return await(deadline(ctx.ticker().nanoTime(), nanos), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = Objects.requireNonNull(deadline, "deadline").getTime() - System.currentTimeMillis();
        return await(deadline(ctx.ticker().nanoTime(), TimeUnit.MILLISECONDS.toNanos(millis)), true);
    }

    @Override
    public void signal() {
        signal("one");
    }

    @Override
    public void signalAll() {
        signal("all");
    }

    @Override
    public String toString() {
        return "Condition[" + name + " of lock '" + keys.name() + "']";
    }

    /**
     * The deadline {@code nanos} after {@code now}: none for {@code RLock.MAX_WAIT_NANOS} or more (as
     * the locks' wait times), {@code now} for a negative wait (the waiter still releases the lock and
     * takes it again, as {@code java.util.concurrent}'s conditions do).
     */
    private static long deadline(long now, long nanos) {
        return nanos >= io.holdfast.RLock.MAX_WAIT_NANOS ? NO_LIMIT : now + Math.max(0, nanos);
    }

    private void signal(String which) {
        ctx.checkOpen();
        String holder = holder();
        Hold hold = heldHold(holder, "signal");
        List<Object> reply = join(server.signal(holder, which), "signalling");
        if ((Long) reply.get(0) < 0) {
            throw new LockLostException(hold.lockName(), "the hold was gone from the server when signalling "
                    + this + " (lease expired or force-unlocked)");
        }
        if (reply.get(1) instanceof String message && !message.isEmpty()) {
            ctx.hub().deliverLocally(channel, message); // this client's own waiter need not wait for the round trip
        }
    }

    /**
     * The one await: {@code deadline} on the client's ticker, or {@link #NO_LIMIT}.
     *
     * @return whether it was signalled (or woke spuriously) rather than timed out
     */
    private boolean await(long deadline, boolean interruptible) throws InterruptedException {
        ctx.checkOpen();
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        String holder = holder();
        Hold hold = heldHold(holder, "await");
        int levels = hold.count();
        long lease = hold.isRenewed() ? -1 : hold.leaseMillis();
        String waiterId = holder + ":c" + WAITS.incrementAndGet();
        Waiter waiter = new Waiter(waiterId);
        ConditionPlace place = register(hold, holder, waiterId, waiter);
        Outcome outcome;
        ctx.conditionWaiters().add(waiter); // close() wakes it
        try {
            for (int i = 0; i < levels; i++) {
                join(ctx.engine().release(kind, keys, holder), "releasing for await on");
            }
            outcome = park(waiterId, waiter, deadline, interruptible);
        } catch (RuntimeException e) {
            stopWaiting(waiter, place);
            leave(waiterId);
            throw e;
        } finally {
            ctx.conditionWaiters().remove(waiter);
        }
        stopWaiting(waiter, place);
        boolean signalled = outcome.signalled || !leave(waiterId);
        boolean interruptedAgain = reacquire(holder, levels, lease);
        if (outcome.interrupted && !signalled) {
            throw new InterruptedException("interrupted while awaiting " + this);
        }
        if (outcome.interrupted || interruptedAgain) {
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    /** What ended a park. */
    private record Outcome(boolean signalled, boolean interrupted) {
    }

    /** Steps 1 to 3: subscribed, registered on the server, renewed; the lock is still held. */
    private ConditionPlace register(Hold hold, String holder, String waiterId, Waiter waiter) {
        try {
            join(ctx.hub().join(channel, waiter), "subscribing for");
            long sent = ctx.ticker().nanoTime();
            long patience = ctx.options().fairWaiterTimeout().toMillis();
            Long registered = join(server.register(holder, waiterId, patience), "registering a waiter of");
            if (registered == 0) {
                throw new LockLostException(hold.lockName(), "the hold was gone from the server when awaiting "
                        + this + " (lease expired or force-unlocked)");
            }
            ConditionPlace place = server.place(waiterId, waiter, patience, sent);
            LeaseKeeper keeper = ctx.keeper();
            if (keeper != null) {
                keeper.register(place);
            }
            return place;
        } catch (RuntimeException e) {
            waiter.done();
            ctx.hub().leave(channel, waiter);
            if (!(e instanceof LockLostException)) {
                // the registration may have run and only its reply be lost: an entry nobody waits on
                // would take a signal for up to a waiter timeout, so take it out (best effort)
                leave(waiterId);
            }
            throw e;
        }
    }

    /**
     * Step 5: parks until the server no longer has the waiter's entry (signalled), the deadline
     * passes, or (if interruptible) an interrupt; every wake-up, and a look every waiter timeout,
     * asks the server.
     */
    private Outcome park(String waiterId, Waiter waiter, long deadline, boolean interruptible) {
        long period = ctx.options().fairWaiterTimeout().toMillis();
        boolean interrupted = false;
        while (true) {
            ctx.checkOpen(); // closed: IllegalStateException, as for a blocked acquisition
            long delay = period;
            if (deadline != NO_LIMIT) {
                long left = deadline - ctx.ticker().nanoTime();
                if (left <= 0) {
                    return new Outcome(false, interrupted);
                }
                delay = Math.min(period, TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
            CompletableFuture<Void> woken = new CompletableFuture<>();
            try {
                waiter.park(delay, ctx.timer(), () -> woken.complete(null));
            } catch (IllegalStateException stoppedTimer) {
                ctx.checkOpen(); // closed meanwhile: say so
                throw stoppedTimer;
            }
            while (!woken.isDone()) {
                try {
                    woken.get();
                } catch (InterruptedException e) {
                    if (interruptible) {
                        return new Outcome(false, true);
                    }
                    interrupted = true; // keeps waiting for the same wake-up
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            ctx.checkOpen();
            try {
                if (!server.waiting(waiterId).get()) {
                    return new Outcome(true, interrupted);
                }
            } catch (InterruptedException e) {
                if (interruptible) {
                    return new Outcome(false, true);
                }
                interrupted = true;
            } catch (ExecutionException e) {
                return new Outcome(true, interrupted); // cannot ask: a spurious wake-up (the lock is taken again)
            }
        }
    }

    private void stopWaiting(Waiter waiter, ConditionPlace place) {
        waiter.done();
        try {
            ctx.hub().leave(channel, waiter);
        } catch (IllegalStateException closing) {
            // the client is closing: its timer no longer takes the channel's linger
        }
        LeaseKeeper keeper = ctx.keeper();
        if (keeper != null) {
            keeper.cancel(place);
        }
    }

    /**
     * Step 6: leaves the condition on the server.
     *
     * @return whether it was still waiting there (not signalled)
     */
    private boolean leave(String waiterId) {
        try {
            return join(server.leave(waiterId), "leaving");
        } catch (RuntimeException e) {
            // the entry is no longer renewed: a waiter timeout from its last renewal, signals skip it
            return true;
        }
    }

    /**
     * Step 7: takes {@code levels} levels of the lock again, ignoring interrupts.
     *
     * @return whether an interrupt came meanwhile
     */
    private boolean reacquire(String holder, int levels, long lease) {
        boolean interrupted = false;
        for (int i = 0; i < levels; i++) {
            Acquisition a = ctx.engine().acquire(kind, keys, holder, Thread.currentThread(), i == 0 ? lease : -1, -1);
            while (true) {
                try {
                    a.result().get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    throw Errors.translate(e.getCause(), "re-acquiring lock '" + keys.name() + "' after awaiting "
                            + this, keys, ctx.redis().endpoint());
                }
            }
        }
        return interrupted;
    }

    /** The calling thread's live hold of the lock, or IllegalMonitorStateException (LockLostException if lost). */
    private Hold heldHold(String holder, String doing) {
        Hold hold = ctx.engine().hold(kind, keys, holder).orElseThrow(() -> new IllegalMonitorStateException(
                "cannot " + doing + " " + this + ": the lock is not held by the current thread"));
        LockLostException lost = hold.lostCause();
        if (lost != null) {
            throw lost;
        }
        return hold;
    }

    private String holder() {
        return ctx.holderId(Thread.currentThread().getId());
    }

    /** Waits for {@code f} ignoring interrupts (bounded by the command timeout), then restores the flag. */
    private <T> T join(CompletableFuture<T> f, String doing) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw Errors.translate(e.getCause(), doing + " " + this, keys, ctx.redis().endpoint());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
