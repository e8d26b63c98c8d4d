package io.holdfast;

/**
 * Fewer replicas than required acknowledged a fresh hold in time, under
 * {@link ReplicaAcknowledgement.Policy#REQUIRE}. The hold was given back: nothing is held.
 */
public class ReplicationException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    /** How many replicas acknowledged in time (serialized). */
    private final long acknowledged;

    /**
     * An exception for a hold too few replicas acknowledged.
     *
     * @param message what was required and what came, naming the lock
     * @param acknowledged how many replicas acknowledged in time
     */
    public ReplicationException(String message, long acknowledged) {
        super(message);
        this.acknowledged = acknowledged;
    }

    /**
     * How many replicas did acknowledge the hold before the timeout.
     *
     * @return the number of replicas that acknowledged
     */
    public long acknowledged() {
        return acknowledged;
    }
}
