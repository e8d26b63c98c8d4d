package io.holdfast.internal;

import io.holdfast.HoldfastObserver;
import io.holdfast.HoldfastObserver.LossCause;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands the engine's events to the user's {@link HoldfastObserver} off the I/O threads, one at a
 * time and in order: events are queued, and one task at a time on the callback executor drains the
 * queue ({@link ForwardingObserver} turns each event into an entry). What the observer throws is
 * logged and dropped. {@link #of} returns the no-op observer
 * itself when the user set none, so that nothing is queued then.
 */
final class ObserverDispatch {

    private final HoldfastObserver target;
    private final Executor executor;
    private final Queue<Consumer<HoldfastObserver>> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    private ObserverDispatch(HoldfastObserver target, Executor executor) {
        this.target = target;
        this.executor = executor;
    }

    static HoldfastObserver of(HoldfastObserver target, Executor executor) {
        return target == HoldfastObserver.NONE ? target
                : new ForwardingObserver(new ObserverDispatch(target, executor)::post);
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
                ForwardingObserver.tell(target, event);
            }
        } finally {
            draining.set(false);
        }
        schedule(); // events that came in after the last poll
    }
}
