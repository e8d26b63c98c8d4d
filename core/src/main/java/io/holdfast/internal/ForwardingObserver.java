package io.holdfast.internal;

import io.holdfast.HoldfastObserver;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An observer that turns each event into a function of an observer ({@code o -> o.released(...)})
 * and hands it to a sink: the one place that lists the events, for everything that passes them on
 * ({@link ObserverDispatch} queues them, {@link #composite} tells several observers).
 */
public final class ForwardingObserver implements HoldfastObserver {

    private static final Logger log = LoggerFactory.getLogger(ForwardingObserver.class);

    private final Consumer<Consumer<HoldfastObserver>> sink;

    ForwardingObserver(Consumer<Consumer<HoldfastObserver>> sink) {
        this.sink = sink;
    }

    /** {@link HoldfastObserver#composite}. */
    public static HoldfastObserver composite(List<? extends HoldfastObserver> observers) {
        List<HoldfastObserver> all = List.copyOf(observers);
        if (all.size() <= 1) {
            return all.isEmpty() ? HoldfastObserver.NONE : all.get(0);
        }
        return new ForwardingObserver(event -> {
            for (HoldfastObserver o : all) {
                tell(o, event);
            }
        });
    }

    /** Tells {@code observer} {@code event}; what it throws is logged at WARN and dropped. */
    static void tell(HoldfastObserver observer, Consumer<HoldfastObserver> event) {
        try {
            event.accept(observer);
        } catch (RuntimeException e) {
            log.warn("the Holdfast observer {} failed", observer, e);
        }
    }

    @Override
    public void acquisitionStarted(String lockName, String kind) {
        sink.accept(o -> o.acquisitionStarted(lockName, kind));
    }

    @Override
    public void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
        sink.accept(o -> o.acquisitionFinished(lockName, kind, outcome, waitNanos));
    }

    @Override
    public void released(String lockName, String kind, long heldNanos) {
        sink.accept(o -> o.released(lockName, kind, heldNanos));
    }

    @Override
    public void renewed(int renewed, int gone, long roundTripNanos) {
        sink.accept(o -> o.renewed(renewed, gone, roundTripNanos));
    }

    @Override
    public void renewalFailed(int leases, Throwable cause) {
        sink.accept(o -> o.renewalFailed(leases, cause));
    }

    @Override
    public void leaseLost(String lockName, String kind, LossCause cause) {
        sink.accept(o -> o.leaseLost(lockName, kind, cause));
    }

    @Override
    public void handOverReceived(String lockName, String kind) {
        sink.accept(o -> o.handOverReceived(lockName, kind));
    }
}
