package io.holdfast.readwrite;

import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;

/**
 * A read-write lock over one name, across every process that talks to the same Redis: the read
 * lock is shared by any number of holders, the write lock excludes every other hold. Both are
 * {@linkplain ClientContext#newLock engine locks}, so reentrancy, leases with watchdog renewal, fencing tokens (one per new
 * hold, read or write, strictly increasing per lock name) and the lost-lease signal work as for
 * the reentrant lock. Every read hold has its own lease: a reader that dies stops counting when
 * its lease runs out, whatever the other readers renew.
 *
 * <p><b>Policy (phase-fair).</b>
 * <ul>
 *   <li>A reader gets the read lock unless a writer holds the write lock or <em>a writer is
 *       waiting</em> for it. Three exceptions are granted whatever writer waits: a thread
 *       re-entering a read hold it has, a thread that holds the write lock taking the read lock,
 *       and a reader that was already waiting when the last write hold was released (its turn).</li>
 *   <li>A writer gets the write lock when nobody else holds either lock. A writer that has to wait
 *       ({@code lock()}, {@code lockInterruptibly()}, {@code tryLock} with a wait time) records an
 *       intent on the server; from then on new readers wait behind it, so it gets in as soon as
 *       the readers present have released (or their leases ran out): writers do not starve.
 *       {@code tryLock()} without a wait time records nothing. The intent ends when the writer
 *       acquires or gives up (timeout, interrupt); the intent of a writer whose process died
 *       expires after {@link io.holdfast.HoldfastOptions#fairWaiterTimeout()} (default 5 s).</li>
 *   <li>Writers among themselves are not ordered: whichever tries first after a release wins.</li>
 *   <li>Turns: when the last level of a write hold is released while readers and a writer wait,
 *       the readers waiting before that moment go in ahead of the writer (a free lock is left to
 *       them for at most 10 ms, until one of them is in); readers that come later wait for the
 *       writer. So neither a stream of writers nor a stream of readers starves the other side.</li>
 *   <li><b>Downgrade</b> is allowed: the holder of the write lock takes the read lock, then releases
 *       the write lock; it keeps the read lock, and waiting readers are woken.</li>
 *   <li><b>Upgrade</b> is refused at once, never a self-deadlock: by a thread that holds the read
 *       lock, {@code writeLock().tryLock(...)} returns {@code false} without waiting, and
 *       {@code writeLock().lock()} / {@code lockInterruptibly()} throw
 *       {@link IllegalMonitorStateException} naming the upgrade. Release the read lock first.</li>
 *   <li>Wake-ups: a write release or a downgrade that opens the readers' turn wakes every waiter
 *       (those whose turn it is get in, the others wait again); otherwise it wakes every waiter
 *       when no writer waits, else only the waiting writer, and only if the lock is now free. A
 *       read release that frees the lock wakes a waiting writer (everybody waiting, when no
 *       writer waits). A {@code tryLock()} reader that gives up at once does not count as waiting.</li>
 *   <li>{@code forceUnlock()} on either lock frees the whole lock, every read and write hold.
 *       {@code isLocked()}, {@code getHoldCount()} and {@code remainTimeToLive()} answer for their
 *       own role (e.g. the read lock's {@code isLocked()}: whether any reader holds it).</li>
 * </ul>
 *
 * <p><b>Redis unreachable:</b> as for every {@link RLock}: methods that talk to Redis throw
 * {@link io.holdfast.RedisUnavailableException} or {@link io.holdfast.HoldfastTimeoutException}, a
 * failed acquisition leaves nothing held, and a hold (or a waiting writer's intent) that cannot be
 * renewed before its lease runs out is lost. Obtaining the two locks never talks to Redis.
 */
final class EngineReadWriteLock implements RReadWriteLock {

    private final String name;
    private final RLock readLock;
    private final RLock writeLock;

    EngineReadWriteLock(ClientContext ctx, LockKeys keys) {
        this.name = keys.name();
        this.readLock = ctx.newLock(ctx.component(ReadKind.class, ReadKind::new), keys);
        this.writeLock = ctx.newLock(ctx.component(WriteKind.class, WriteKind::new), keys);
    }

    @Override
    public String getName() {
        return name;
    }

    /** The shared lock; no round trip. See the class Javadoc for when a reader waits. */
    @Override
    public RLock readLock() {
        return readLock;
    }

    /** The exclusive lock; no round trip. See the class Javadoc for upgrades and downgrades. */
    @Override
    public RLock writeLock() {
        return writeLock;
    }

    @Override
    public String toString() {
        return "ReadWriteLock[" + name + "]";
    }
}
