package io.holdfast.internal;

import io.holdfast.HoldfastObserver;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the engine's events to the user's {@link HoldfastObserver} off the I/O threads, one at a
 * time and in order: events are queued, and one task at a time on the callback executor drains the
 * queue. What the observer throws is logged and dropped. {@link #of} returns the no-op observer
 * itself when the user set none, so that nothing is queued then.
 */
final class ObserverDispatch implements HoldfastObserver {

    private static final Logger log = LoggerFactory.getLogger(ObserverDispatch.class);

    private final HoldfastObserver target;
    private final Executor executor;
    private final Queue<Consumer<HoldfastObserver>> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    private ObserverDispatch(HoldfastObserver target, Executor executor) {
        this.target = target;
        this.executor = executor;
    }

    static HoldfastObserver of(HoldfastObserver target, Executor executor) {
        return target == HoldfastObserver.NONE ? target : new ObserverDispatch(target, executor);
    }

    /**
     * The category of a loss, from the reason the engine or the watchdog gave (see
     * {@link Hold#markLost}), which the exception's message ends with.
     */
    static LossCause cause(io.holdfast.LockLostException lost) {
        String message = String.valueOf(lost.getMessage());
        String prefix = "lock '" + lost.lockName() + "' was lost: ";
        String reason = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        if (reason.equals("force-unlocked")) {
            return LossCause.FORCE_UNLOCKED;
        } else if (reason.startsWith("its owner ended")) {
            return LossCause.OWNER_ENDED;
        } else if (reason.startsWith("not renewed before")) {
            return LossCause.NOT_RENEWED;
        }
        return LossCause.GONE_FROM_SERVER;
    }

    private void post(Consumer<HoldfastObserver> event) {
        events.add(event);
        schedule();
    }

    private void schedule() {
        if (!events.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                events.clear(); // the client is closed: its executor takes nothing more
                draining.set(false);
            }
        }
    }

    private void drain() {
        try {
            for (int n = 0; n < 256; n++) { // then let other callbacks have the thread
                Consumer<HoldfastObserver> event = events.poll();
                if (event == null) {
                    break;
                }
                try {
                    event.accept(target);
                } catch (RuntimeException e) {
                    log.warn("the Holdfast observer {} failed", target, e);
                }
            }
        } finally {
            draining.set(false);
        }
        schedule(); // events that came in after the last poll
    }

    @Override
    public void acquisitionStarted(String lockName, String kind) {
        post(o -> o.acquisitionStarted(lockName, kind));
    }

    @Override
    public void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
        post(o -> o.acquisitionFinished(lockName, kind, outcome, waitNanos));
    }

    @Override
    public void released(String lockName, String kind, long heldNanos) {
        post(o -> o.released(lockName, kind, heldNanos));
    }

    @Override
    public void renewed(int renewed, int gone, long roundTripNanos) {
        post(o -> o.renewed(renewed, gone, roundTripNanos));
    }

    @Override
    public void renewalFailed(int leases, Throwable cause) {
        post(o -> o.renewalFailed(leases, cause));
    }

    @Override
    public void leaseLost(String lockName, String kind, LossCause cause) {
        post(o -> o.leaseLost(lockName, kind, cause));
    }

    @Override
    public void handOverReceived(String lockName, String kind) {
        post(o -> o.handOverReceived(lockName, kind));
    }
}
