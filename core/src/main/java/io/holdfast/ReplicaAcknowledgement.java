package io.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * Replica acknowledgement after a fresh acquisition: Holdfast sends {@code WAIT replicas timeout}
 * right after the server granted a first hold, and acts on how many replicas confirmed the write.
 *
 * <p>Why: a hold written to the master only is lost if the master fails over to a replica that did
 * not get it, and another client can then take the lock (see the failure model in the README). An
 * acknowledged hold survives a failover to any replica that acknowledged it. It is still no
 * guarantee (Redis replication is asynchronous, and {@code WAIT} does not make it synchronous:
 * an acknowledged write can be lost if the failover picks a replica that did not acknowledge it),
 * but it closes the common window.
 *
 * <p>Cost: one more round trip per fresh acquisition (re-entries and releases do not wait). While
 * {@code WAIT} runs, the client's shared command connection waits with it, so when replicas lag,
 * every command of the client (other locks, renewals) is delayed by up to {@link #timeout()}.
 *
 * @param replicas how many replicas must acknowledge, at least 1
 * @param timeout how long to wait for them, at least 1 ms and shorter than the command timeout
 * @param policy what to do when fewer acknowledge in time
 */
public record ReplicaAcknowledgement(int replicas, Duration timeout, Policy policy) {

    /** What an acquisition does when fewer than {@link #replicas()} acknowledged in time. */
    public enum Policy {
        /** Give the hold back and fail the acquisition with {@link ReplicationException}. */
        REQUIRE,
        /** Keep the hold and log a warning naming the lock and the count. */
        WARN
    }

    /**
     * Checks the arguments at once.
     *
     * @param replicas how many replicas must acknowledge, at least 1
     * @param timeout how long to wait for them, at least 1 ms
     * @param policy what to do when fewer acknowledge in time
     * @throws IllegalArgumentException if {@code replicas} or {@code timeout} is out of bounds
     */
    public ReplicaAcknowledgement {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1: " + replicas);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("replica acknowledgement timeout must be at least 1 ms: " + timeout);
        }
        Objects.requireNonNull(policy, "policy");
    }
}
