package io.holdfast.spring.boot;

import io.holdfast.Holdfast;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health of the auto-configured Holdfast client ({@code holdfast} in {@code /actuator/health}):
 * DOWN when Redis does not answer a read of a probe key (one {@code EXISTS}, which waits at most the
 * command timeout) or the pub/sub connection is not connected; UP otherwise. Its details give the
 * probe's round trip, whether pub/sub is connected, the holds the client tracks, and the holds lost
 * within {@code holdfast.health.lost-lease-window} with the latest of them. Lost leases do not make
 * the status DOWN: the client and Redis may be fine, and a restart would not bring the holds back;
 * alert on {@code leasesLostRecently} (or the {@code holdfast.lease.lost} counter) instead.
 */
public class HoldfastHealthIndicator extends AbstractHealthIndicator {

    /** The lock whose key the probe reads; nobody takes it. */
    static final String PROBE = "holdfast-health-probe";

    private final Holdfast holdfast;
    private final LeaseLossTracker losses;

    /**
     * An indicator of {@code holdfast}.
     *
     * @param holdfast the client
     * @param losses the tracker the client reports its losses to
     */
    public HoldfastHealthIndicator(Holdfast holdfast, LeaseLossTracker losses) {
        super("Holdfast health check failed");
        this.holdfast = Objects.requireNonNull(holdfast, "holdfast");
        this.losses = Objects.requireNonNull(losses, "losses");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean pubSub = holdfast.isPubSubConnected();
        builder.withDetail("pubSubConnected", pubSub)
                .withDetail("holds", holdfast.holdCount())
                .withDetail("leasesLostRecently", losses.recentLosses())
                .withDetail("lostLeaseWindow", losses.window().toString());
        String latest = losses.latestLoss();
        if (latest != null) {
            builder.withDetail("latestLostLease", latest);
        }
        long start = System.nanoTime();
        holdfast.getLock(PROBE).isLocked(); // throws when Redis cannot be reached: DOWN with the error
        builder.withDetail("redisRoundTripMillis", (System.nanoTime() - start) / 1_000_000.0);
        if (pubSub) {
            builder.up();
        } else {
            builder.down().withDetail("error", "the pub/sub connection is not connected (waiters are woken late)");
        }
    }
}
