package io.holdfast.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big: the full run ({@code ./holdfast bench}, ~50 minutes on 2 cores, most of it the scaling scenarios) or the quick
 * mode ({@code --quick}, seconds: proves the harness works, its numbers mean nothing).
 *
 * @param rounds interleaved rounds per scenario (Holdfast, Redisson, [floor], Holdfast, ...)
 * @param latencyRounds rounds of the short single-thread latency scenarios (uncontended,
 *     reentrant, handoff), whose medians move most with the machine's noise
 * @param warmup untimed run on the same clients before each timed run
 * @param timed one timed run
 * @param cost the MONITOR run that splits commands into client-sent and in-script
 * @param watchdogLocks lock counts of the watchdog scenario
 * @param watchdogWindow how long the watchdog scenario watches its held locks
 * @param shortLease the lease of the watchdog, churn and crash scenarios
 * @param churn how long the churn scenario runs
 * @param handoffSamples handoffs measured per run and hold time
 * @param waiterCounts sizes of the waiters scaling scenario (threads waiting on one lock)
 * @param clientCounts sizes of the clients scaling scenario (client instances on one lock)
 * @param nameCounts sizes of the names scaling scenario (distinct lock names held by one client)
 * @param scaleWindow how long a scaling scenario watches waiters wait, or held names renew (at
 *     least two short leases in the names scenario)
 */
record Settings(boolean quick, int rounds, int latencyRounds, Duration warmup, Duration timed, Duration cost,
        List<Integer> watchdogLocks, Duration watchdogWindow, Duration shortLease, Duration churn,
        int handoffSamples, List<Integer> waiterCounts, List<Integer> clientCounts, List<Integer> nameCounts,
        Duration scaleWindow) {

    static Settings full() {
        return new Settings(false, 3, 7, Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMillis(500),
                List.of(10_000, 100_000), Duration.ofSeconds(7), Duration.ofSeconds(3), Duration.ofSeconds(20), 250,
                List.of(1, 10, 100, 1_000, 10_000), List.of(1, 2, 4, 8, 16, 32, 64),
                List.of(1, 100, 1_000, 10_000, 100_000), Duration.ofSeconds(6));
    }

    static Settings quickMode() {
        return new Settings(true, 1, 1, Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMillis(100),
                List.of(200, 1_000), Duration.ofMillis(1_200), Duration.ofMillis(900), Duration.ofSeconds(2), 5,
                List.of(1, 4, 16), List.of(1, 4), List.of(1, 1_000), Duration.ofMillis(300));
    }

    /**
     * The sizes of the Cluster scenarios ({@code cluster-*}, issue 14).
     *
     * @param masters masters of the cluster, each with {@code replicasPerMaster} replicas
     * @param contendedClients client instances of {@code cluster-contended}, each with one thread per
     *     master (thread {@code j} of every client on lock {@code j}, one lock per master)
     * @param wakeupClients client instances of {@code cluster-wakeups}, one thread each, on one lock
     */
    record ClusterSizes(int masters, int replicasPerMaster, int contendedClients, int wakeupClients) {
    }

    /** The Cluster scenarios' sizes: the same cluster in both modes, fewer clients in the quick one. */
    ClusterSizes cluster() {
        return quick ? new ClusterSizes(3, 1, 2, 2) : new ClusterSizes(3, 1, 4, 4);
    }
}
