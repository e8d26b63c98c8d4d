package io.holdfast.internal;

import io.holdfast.spi.LockKeys;
import io.holdfast.ReplicaAcknowledgement;
import io.holdfast.ReplicaAcknowledgement.Policy;
import io.holdfast.ReplicationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica acknowledgement step of a fresh acquisition ({@link ReplicaAcknowledgement}): one
 * {@code WAIT} on the connection that wrote the hold (on a Cluster, the one to the master of the
 * lock's slot: per shard), then the policy. It runs between the
 * server's grant and the registration of the hold, so a hold that fails it is never renewed.
 */
final class ReplicaCheck {

    private static final Logger log = LoggerFactory.getLogger(ReplicaCheck.class);

    private ReplicaCheck() {
    }

    /**
     * Completes normally if the hold may be kept (enough replicas, or {@link Policy#WARN}), with
     * {@link ReplicationException} if it must be given back, or with the {@code WAIT} failure.
     * Completes at once when no acknowledgement is configured.
     */
    static CompletableFuture<Void> after(Client ctx, LockKeys keys) {
        ReplicaAcknowledgement ack = ctx.options().replicaAcknowledgement().orElse(null);
        if (ack == null) {
            return CompletableFuture.completedFuture(null);
        }
        return ctx.redis().waitForReplicas(keys.key(), ack.replicas(), ack.timeout().toMillis())
                .thenAccept(acknowledged -> {
                    if (acknowledged >= ack.replicas()) {
                        return;
                    }
                    String what = "lock '" + keys.name() + "': only " + acknowledged + " of " + ack.replicas()
                            + " replicas acknowledged the hold within " + ack.timeout().toMillis() + " ms";
                    if (ack.policy() == Policy.WARN) {
                        log.warn("{}; kept it, but a failover now may lose it", what);
                        return;
                    }
                    throw new ReplicationException(what + "; gave it back, nothing is held", acknowledged);
                });
    }
}
