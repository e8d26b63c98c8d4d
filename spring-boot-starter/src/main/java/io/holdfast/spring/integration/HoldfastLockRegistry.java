package io.holdfast.spring.integration;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} whose locks are Holdfast's: {@link #obtain} returns the
 * {@link RLock} of the key's name, so a key names one lock across every process that uses the same
 * Redis and key prefix, with Holdfast's semantics: reentrant, renewed by the watchdog while its
 * holder lives, {@code unlock()} by a thread that does not hold it throws
 * {@link IllegalMonitorStateException}, a lost hold makes {@code unlock()} throw
 * {@link io.holdfast.LockLostException}.
 *
 * <p>It keeps no state of its own: the client caches lock objects (bounded, see
 * {@link io.holdfast.HoldfastOptions#lockCacheSize()}), and a lock's state lives in Redis. That is
 * why it implements neither {@code ExpirableLockRegistry} (there is nothing to expire) nor
 * {@code RenewableLockRegistry} (the watchdog renews every hold taken without a lease).
 */
public class HoldfastLockRegistry implements LockRegistry {

    private final Holdfast holdfast;
    private final boolean fair;

    /**
     * A registry of reentrant locks.
     *
     * @param holdfast the client whose locks it hands out
     */
    public HoldfastLockRegistry(Holdfast holdfast) {
        this(holdfast, false);
    }

    /**
     * A registry of reentrant or fair locks.
     *
     * @param holdfast the client whose locks it hands out
     * @param fair true for fair (first come, first served) locks, false for reentrant ones
     */
    public HoldfastLockRegistry(Holdfast holdfast, boolean fair) {
        this.holdfast = Objects.requireNonNull(holdfast, "holdfast");
        this.fair = fair;
    }

    /**
     * The lock called {@code lockKey}. Does not talk to Redis.
     *
     * @param lockKey the lock's name, a non-empty String
     * @return the lock; the same key always names the same lock
     * @throws IllegalArgumentException if the key is null, not a String or empty
     * @throws IllegalStateException if the client is closed
     */
    @Override
    public Lock obtain(Object lockKey) {
        if (!(lockKey instanceof String name)) {
            throw new IllegalArgumentException("a Holdfast lock key must be a String: "
                    + (lockKey == null ? "null" : lockKey.getClass().getName()));
        }
        return fair ? holdfast.getFairLock(name) : holdfast.getLock(name);
    }

    @Override
    public String toString() {
        return "HoldfastLockRegistry[" + (fair ? "fair" : "reentrant") + " locks of client " + holdfast.clientId() + "]";
    }
}
