package io.holdfast.internal;

import io.holdfast.Lease;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@link Lease} a user gets for a {@link Hold}: the hold's view, except that
 * {@link #whenLost()} completes on the client's callback executor, never on the Redis I/O thread
 * that found the loss (a dependent that calls the blocking API would stall that connection).
 * Equal to any other {@code ClientLease} of the same hold.
 */
final class ClientLease implements Lease {

    private final Hold hold;
    private final Executor callbacks;

    ClientLease(Hold hold, Executor callbacks) {
        this.hold = Objects.requireNonNull(hold);
        this.callbacks = Objects.requireNonNull(callbacks);
    }

    @Override
    public String lockName() {
        return hold.lockName();
    }

    @Override
    public long fencingToken() {
        return hold.fencingToken();
    }

    @Override
    public LeaseState state() {
        return hold.state();
    }

    @Override
    public long validUntilNanos() {
        return hold.validUntilNanos();
    }

    @Override
    public long remaining(TimeUnit unit) {
        return hold.remaining(unit);
    }

    @Override
    public boolean isValid() {
        return hold.isValid();
    }

    @Override
    public boolean isRenewed() {
        return hold.isRenewed();
    }

    /** The hold's stage, hopped onto the callback executor (one dependent of the hold per call). */
    @Override
    public CompletionStage<LockLostException> whenLost() {
        return hold.whenLost().toCompletableFuture().thenApplyAsync(Function.identity(), callbacks).minimalCompletionStage();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientLease other && other.hold == hold;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(hold);
    }

    @Override
    public String toString() {
        return hold.toString();
    }
}
