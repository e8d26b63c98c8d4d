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
    REDIS_RESTART
}
