package io.holdfast.spring.boot;

import io.holdfast.HoldfastObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Remembers the holds the auto-configured client lost lately, for {@link HoldfastHealthIndicator}.
 * An observer of the client (see {@link HoldfastObserver}); keeps at most
 * {@value #MAX_KEPT} losses, the latest.
 */
public class LeaseLossTracker implements HoldfastObserver {

    static final int MAX_KEPT = 10_000;

    /** One loss: when (on {@link System#nanoTime()}), which lock, why. */
    private record Loss(long atNanos, String lockName, LossCause cause) { }

    private final Duration window;
    private final Deque<Loss> losses = new ArrayDeque<>();

    /**
     * A tracker that counts the losses of the last {@code window}.
     *
     * @param window how far back to count
     */
    public LeaseLossTracker(Duration window) {
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("holdfast.health.lost-lease-window must be positive: " + window);
        }
    }

    @Override
    public synchronized void leaseLost(String lockName, String kind, LossCause cause) {
        losses.addLast(new Loss(System.nanoTime(), lockName, cause));
        if (losses.size() > MAX_KEPT) {
            losses.removeFirst();
        }
    }

    /**
     * How far back {@link #recentLosses()} counts.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    /**
     * How many holds were lost within the window (at most {@value #MAX_KEPT}).
     *
     * @return the number of recent losses
     */
    public synchronized int recentLosses() {
        prune();
        return losses.size();
    }

    /**
     * The latest loss within the window, as "lock 'NAME' (CAUSE)", or null if none.
     *
     * @return a description of the latest recent loss, or null
     */
    public synchronized String latestLoss() {
        prune();
        Loss last = losses.peekLast();
        return last == null ? null : "lock '" + last.lockName() + "' (" + last.cause() + ")";
    }

    private void prune() {
        long since = System.nanoTime() - window.toNanos();
        while (!losses.isEmpty() && losses.peekFirst().atNanos() - since < 0) {
            losses.removeFirst();
        }
    }
}
