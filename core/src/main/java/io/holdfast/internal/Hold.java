package io.holdfast.internal;

import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.Script;
import io.holdfast.Lease;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.Ticker;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * One hold of one lock by one holder, as the client tracks it between the acquisition that
 * created it and the release (or loss) that ends it.
 *
 * <p>Lease states and transitions:
 * <pre>
 *   ACTIVE ──last unlock sent──▶ RELEASING ──server: released──▶ RELEASED
 *     │                            │  └──unlock failed (Redis error)──▶ ACTIVE
 *     │                            └──server: not held──▶ LOST
 *     └──renewal found it gone / deadline passed unrenewed / force-unlocked / re-entry found it gone──▶ LOST
 * </pre>
 * If the watchdog finds the hold gone while it is RELEASING, it stops renewing it and notes why;
 * should the release then fail, RELEASING → LOST (not ACTIVE), since nobody renews it any more.
 * RELEASED and LOST are final. Only ACTIVE → LOST is reported by the watchdog: while the last
 * level is being released, a missing key means "released", not "lost". The listener and
 * {@link #whenLost()} fire exactly once, on the transition to LOST.
 *
 * <p>The count is only written by the holder's own calls (acquire and unlock run one at a time per
 * holder); the state and deadline are also written by the watchdog, hence atomic and volatile.
 * The state and the cause of a loss change together, in one compare-and-set of {@link Status}:
 * whoever sees LOST also sees why (jcstress {@code HoldLostVsReleaseTest} caught an unlock that
 * saw LOST before the cause was set: it threw "already being released" instead of
 * LockLostException and left the hold in the registry).
 */
public final class Hold extends LeasedItem implements Lease {

    private final HoldKey id;
    private final LockKeys keys;
    private final LockKind kind;
    private final WeakReference<Thread> ownerThread;
    private final long token;
    private final boolean renewed;
    private final BiConsumer<Hold, LockLostException> onLost;
    private final Ticker ticker;
    private final AtomicReference<Status> status = new AtomicReference<>(Status.ACTIVE);
    private final CompletableFuture<LockLostException> lost = new CompletableFuture<>();
    private volatile int count = 1;
    private volatile String goneWhileReleasing;
    private volatile boolean longerLease;
    /** When the client registered the hold, on {@link #ticker}. */
    private final long grantedNanos;

    /**
     * @param ownerThread the thread that owns the hold, or null if an owner token does; held weakly
     * @param validUntilNanos the instant on {@code ticker} until which the server surely keeps the
     *     hold (normally: when the granting command was sent + the lease)
     * @param ticker the client's clock ({@link Client#ticker()}), which {@link #remaining}
     *     and {@link #isValid()} read
     */
    public Hold(HoldKey id, LockKeys keys, LockKind kind, Thread ownerThread, long token, long leaseMillis,
            boolean renewed, long validUntilNanos, Ticker ticker, BiConsumer<Hold, LockLostException> onLost) {
        super(leaseMillis, validUntilNanos);
        this.ticker = ticker;
        this.ownerThread = ownerThread == null ? null : new WeakReference<>(ownerThread);
        this.id = id;
        this.keys = keys;
        this.kind = kind;
        this.token = token;
        this.renewed = renewed;
        this.onLost = onLost;
        this.grantedNanos = ticker.nanoTime();
    }

    /**
     * The {@code run_id} of the server (on a Cluster: of the master of the lock's slot) as the client
     * knew it when the hold was granted; "" if unknown. A hold lives only in that server's memory: a
     * release that later finds "not held" on a server of another identity lost it.
     */
    private volatile String grantedBy = "";

    void grantedBy(String serverId) {
        this.grantedBy = serverId == null ? "" : serverId;
    }

    String grantedBy() {
        return grantedBy;
    }

    /** How long ago the client registered this hold, in nanoseconds. */
    long heldNanos() {
        return ticker.nanoTime() - grantedNanos;
    }

    public HoldKey id() {
        return id;
    }

    public LockKeys keys() {
        return keys;
    }

    public LockKind kind() {
        return kind;
    }

    public int count() {
        return count;
    }

    void count(int levels) {
        this.count = levels;
    }

    @Override
    public String lockName() {
        return keys.name();
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public LeaseState state() {
        return status.get().state();
    }

    @Override
    public long remaining(TimeUnit unit) {
        return unit.convert(Math.max(0, validUntilNanos() - ticker.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isValid() {
        return state() == LeaseState.ACTIVE && validUntilNanos() - ticker.nanoTime() > 0;
    }

    @Override
    public boolean isRenewed() {
        return renewed;
    }

    @Override
    public CompletionStage<LockLostException> whenLost() {
        return lost.minimalCompletionStage();
    }

    /** The reason of the loss, or null while not LOST. */
    LockLostException lostCause() {
        return status.get().cause();
    }

    /**
     * A re-entry asking for a lease of {@code lease} ms is about to be sent. If that is longer than
     * the watchdog's lease, renewals from now on use the kind's {@link LockKind#renewScript()},
     * which never shortens it, instead of the cheaper {@link LockKind#plainRenewScript()}. Called
     * before the re-entry is sent, and for good: whether it reached the server is not known yet.
     */
    void reentering(long lease) {
        if (lease > leaseMillis()) {
            longerLease = true;
        }
    }

    /**
     * A re-entry sent at {@code sentNanos} made the lease at least {@code lease} ms long (the
     * server never shortens it), so the hold is valid at least that long from then.
     */
    void extended(long sentNanos, long lease) {
        extendTo(validUntil(sentNanos, lease));
    }

    /** ACTIVE → RELEASING; false if the hold is no longer ACTIVE (lost meanwhile). */
    boolean beginRelease() {
        return status.compareAndSet(Status.ACTIVE, Status.RELEASING);
    }

    /**
     * RELEASING → ACTIVE: the release command failed; the hold may still be there. But if the
     * watchdog meanwhile found it gone (and so stopped renewing it), RELEASING → LOST instead.
     */
    void abortRelease() {
        if (status.compareAndSet(Status.RELEASING, Status.ACTIVE)) {
            String reason = goneWhileReleasing;
            if (reason != null) {
                markLost(reason, false);
            }
        }
    }

    /**
     * RELEASING → RELEASED. A force-unlock may have made it LOST meanwhile: LOST is final and was
     * already signalled, so it stays (jcstress {@code HoldForceUnlockVsReleaseTest}).
     */
    void released() {
        status.compareAndSet(Status.RELEASING, Status.RELEASED);
    }

    /**
     * ACTIVE (or, if {@code evenWhileReleasing}, RELEASING) → LOST, firing the signal once.
     *
     * @return whether this call made the transition
     */
    boolean markLost(String reason, boolean evenWhileReleasing) {
        Status s = status.get();
        while (s == Status.ACTIVE || (evenWhileReleasing && s == Status.RELEASING)) {
            Status lostNow = new Status(LeaseState.LOST, new LockLostException(keys.name(), reason));
            if (status.compareAndSet(s, lostNow)) {
                lost.complete(lostNow.cause());
                onLost.accept(this, lostNow.cause());
                return true;
            }
            s = status.get();
        }
        return false;
    }

    // --- Renewable, for the watchdog ---

    /**
     * The plain renewal script while no re-entry asked for a longer lease than the watchdog's (so
     * setting the watchdog's lease again cannot shorten it); the guarded one after (see
     * {@link #reentering}). The watchdog handles a hold that switches while a plain renewal of it
     * is on the wire (see {@link Renewable#renewScript()}).
     */
    @Override
    public Script renewScript() {
        return longerLease ? kind.renewScript() : kind.plainRenewScript();
    }

    @Override
    public List<String> renewKeys() {
        return kind.renewKeys(keys, id.holderId());
    }

    @Override
    public String renewArg() {
        return id.holderId();
    }

    /** False once the hold's owner thread has ended (never for an owner token): it can never unlock. */
    @Override
    public boolean holderAlive() {
        if (ownerThread == null) {
            return true;
        }
        Thread t = ownerThread.get();
        return t != null && t.isAlive();
    }

    @Override
    public void gone(String reason) {
        // noted first: if a release is in flight and then fails, abortRelease reports it (and if it
        // failed just before this line, markLost below finds the hold ACTIVE again)
        goneWhileReleasing = reason;
        markLost(reason, false);
    }

    @Override
    public String toString() {
        return "Hold[" + keys.name() + " " + id.role() + " by " + id.holderId() + " x" + count + " " + state() + "]";
    }

    /** A lease state and, for LOST only, its cause; the non-LOST ones are shared constants. */
    private record Status(LeaseState state, LockLostException cause) {
        static final Status ACTIVE = new Status(LeaseState.ACTIVE, null);
        static final Status RELEASING = new Status(LeaseState.RELEASING, null);
        static final Status RELEASED = new Status(LeaseState.RELEASED, null);
    }
}
