package io.holdfast;

/**
 * Fewer replicas than required acknowledged a fresh hold in time, under
 * {@link ReplicaAcknowledgement.Policy#REQUIRE}. The hold was given back: nothing is held.
 */
public class ReplicationException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    private final long acknowledged;

    public ReplicationException(String message, long acknowledged) {
        super(message);
        this.acknowledged = acknowledged;
    }

    /** How many replicas did acknowledge the hold before the timeout. */
    public long acknowledged() {
        return acknowledged;
    }
}
