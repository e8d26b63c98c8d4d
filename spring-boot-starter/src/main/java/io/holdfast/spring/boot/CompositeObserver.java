package io.holdfast.spring.boot;

import io.holdfast.HoldfastObserver;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells every observer bean each event, in order; one that throws is logged and the others are still told. */
final class CompositeObserver implements HoldfastObserver {

    private static final Logger log = LoggerFactory.getLogger(CompositeObserver.class);

    private final List<HoldfastObserver> observers;

    private CompositeObserver(List<HoldfastObserver> observers) {
        this.observers = observers;
    }

    static HoldfastObserver of(List<HoldfastObserver> observers) {
        return observers.isEmpty() ? HoldfastObserver.NONE
                : observers.size() == 1 ? observers.get(0) : new CompositeObserver(List.copyOf(observers));
    }

    @Override
    public void acquisitionStarted(String lockName, String kind) {
        each(o -> o.acquisitionStarted(lockName, kind));
    }

    @Override
    public void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
        each(o -> o.acquisitionFinished(lockName, kind, outcome, waitNanos));
    }

    @Override
    public void released(String lockName, String kind, long heldNanos) {
        each(o -> o.released(lockName, kind, heldNanos));
    }

    @Override
    public void renewed(int renewed, int gone, long roundTripNanos) {
        each(o -> o.renewed(renewed, gone, roundTripNanos));
    }

    @Override
    public void renewalFailed(int leases, Throwable cause) {
        each(o -> o.renewalFailed(leases, cause));
    }

    @Override
    public void leaseLost(String lockName, String kind, LossCause cause) {
        each(o -> o.leaseLost(lockName, kind, cause));
    }

    @Override
    public void handOverReceived(String lockName, String kind) {
        each(o -> o.handOverReceived(lockName, kind));
    }

    private void each(Consumer<HoldfastObserver> event) {
        for (HoldfastObserver o : observers) {
            try {
                event.accept(o);
            } catch (RuntimeException e) {
                log.warn("the Holdfast observer {} failed", o, e);
            }
        }
    }
}
