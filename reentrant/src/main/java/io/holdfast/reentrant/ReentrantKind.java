package io.holdfast.reentrant;

import io.holdfast.spi.ClientContext;

/**
 * The reentrant exclusive lock ({@code Holdfast.getLock}): a free lock goes to whoever asks
 * (barging, as a non-fair {@link java.util.concurrent.locks.ReentrantLock}), and a release hands
 * the lock over to the longest-waiting live waiter, if any, in the same script (see
 * {@link QueuedHashKind}). Handing over saves the waiter a round trip and wakes nobody else, so
 * under contention the lock passes on in arrival order with one script call per acquisition.
 */
final class ReentrantKind extends QueuedHashKind {

    ReentrantKind(ClientContext ctx) {
        super(ctx, true);
    }

    @Override
    public String role() {
        return "exclusive";
    }
}
