package io.holdfast.chaos.run;

/** The faults the scheduler draws from; each is caused for real on a proxy, a child JVM or the server. */
public enum FaultType {
    /** Latency and jitter on every link of one process's proxy, one direction. */
    LATENCY,
    /** The pub/sub link's bytes to one client held back for a while, then released. */
    HOLD_PUBSUB,
    /** The reply to the next EVALSHA on one process's command link dropped, that link closed. */
    DROP_REPLY,
    /** Every link of one process black-holed for a while (sometimes longer than its lease). */
    BLACKHOLE,
    /** Every link of one process reset. */
    RESET,
    /** One child stopped with SIGSTOP, continued later (sometimes after its lease ran out). */
    SIGSTOP,
    /** One child killed with SIGKILL and replaced by a new one. */
    KILL9,
    /** Redis {@code CLIENT PAUSE} for a while. */
    CLIENT_PAUSE,
    /** Redis {@code DEBUG SLEEP}: the server does nothing for a while. */
    DEBUG_SLEEP,
    /** Redis killed and restarted without persistence: every lock key is gone. */
    REDIS_RESTART,
    /**
     * Cluster mode only: one master stopped with SIGSTOP, continued later; past the cluster's node
     * timeout its replica is promoted (then the window is recorded as a {@code FAILOVER}).
     */
    MASTER_SIGSTOP,
    /** Cluster mode only: one master killed with SIGKILL, its replica promoted, the old one back as a replica. */
    FAILOVER,
    /** Cluster mode only: the slot of one of the workload's locks migrated to another master under load. */
    SLOT_MIGRATION;

    /** Whether this fault exists in a run on one standalone Redis or on quorum masters. */
    public boolean outsideCluster() {
        return this != MASTER_SIGSTOP && this != FAILOVER && this != SLOT_MIGRATION;
    }

    /**
     * Whether this fault exists in Cluster mode: every type but {@code REDIS_RESTART} (a Cluster's
     * master is killed as a {@code FAILOVER}) and {@code DEBUG_SLEEP} (a master is stopped as a
     * {@code MASTER_SIGSTOP}; cluster nodes run without the debug command).
     */
    public boolean inCluster() {
        return this != REDIS_RESTART && this != DEBUG_SLEEP;
    }
}
