package io.holdfast.chaos.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What a chaos run does.
 *
 * @param seconds how long the workload runs
 * @param seed seeds the fault schedule and every worker's choices
 * @param processes worker child JVMs, each behind its own fault proxy
 * @param threads threads per worker
 * @param out the markdown report (the raw history is kept beside it only on a finding)
 * @param faults the fault types to draw from
 * @param command the command line to print in the report
 * @param names lock names per kind ({@code 0}: the workload's default few)
 * @param quorum {@code 0} for one standalone Redis; otherwise the number of independent masters of
 *     quorum mode (odd, at least 3), every worker talking to each through a fault proxy of its own
 * @param majorityFaults quorum mode only: some faults hit a majority of the masters (a majority
 *     restarted empty is outside the quorum lock's failure model, and the checker accounts for it)
 * @param cluster Cluster mode: a Redis Cluster of 3 masters and 3 replicas instead of one server,
 *     every worker talking to each node through a fault proxy of its own (see {@link ClusterFaults})
 */
public record ChaosConfig(long seconds, long seed, int processes, int threads, Path out, List<FaultType> faults,
                          String command, int names, int quorum, boolean majorityFaults, boolean cluster) {

    /** A standalone or quorum run. */
    public ChaosConfig(long seconds, long seed, int processes, int threads, Path out, List<FaultType> faults,
            String command, int names, int quorum, boolean majorityFaults) {
        this(seconds, seed, processes, threads, out, faults, command, names, quorum, majorityFaults, false);
    }

    /** A standalone run with {@code names} names per kind. */
    public ChaosConfig(long seconds, long seed, int processes, int threads, Path out, List<FaultType> faults,
            String command, int names) {
        this(seconds, seed, processes, threads, out, faults, command, names, 0, false);
    }

    /** The run's default: the few names of ChaosWorker#NAMES, so that threads contend. */
    public ChaosConfig(long seconds, long seed, int processes, int threads, Path out, List<FaultType> faults,
            String command) {
        this(seconds, seed, processes, threads, out, faults, command, 0);
    }

    /**
     * Reads {@code --minutes N | --seconds N, --seed S, --processes N, --threads N, --out FILE, --names N}
     * ({@code --names N}: N lock names per kind instead of the default few; more throughput, less contention),
     * {@code --quorum N} (quorum mode over N masters), {@code --majority-faults} (no value; quorum mode only)
     * and {@code --cluster} (no value: Cluster mode).
     */
    public static ChaosConfig parse(String[] args, String command) {
        long seconds = 120;
        long seed = System.nanoTime() % 1_000_000;
        int processes = 3;
        int threads = 4;
        int names = 0;
        int quorum = 0;
        boolean majorityFaults = false;
        boolean cluster = false;
        Path out = Path.of("chaos", "RESULTS.md");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--majority-faults")) {
                majorityFaults = true;
                continue;
            }
            if (args[i].equals("--cluster")) {
                cluster = true;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null && args[i].startsWith("--")) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--minutes" -> seconds = 60 * Long.parseLong(value);
                case "--seconds" -> seconds = Long.parseLong(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--processes" -> processes = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                case "--names" -> names = Integer.parseInt(value);
                case "--quorum" -> quorum = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --minutes N | --seconds N, --seed S, --processes N, --threads N, --names N, --out FILE, --quorum N, --majority-faults, --cluster");
            }
            i++;
        }
        if (seconds < 1 || processes < 1 || threads < 1) {
            throw new IllegalArgumentException("--seconds, --processes and --threads must be positive");
        }
        if (quorum != 0 && (quorum < 3 || quorum % 2 == 0)) {
            throw new IllegalArgumentException("--quorum needs an odd number of masters, at least 3: " + quorum);
        }
        if (majorityFaults && quorum == 0) {
            throw new IllegalArgumentException("--majority-faults needs --quorum N");
        }
        if (cluster && quorum != 0) {
            throw new IllegalArgumentException("--cluster and --quorum N are different runs: choose one");
        }
        StringBuilder exact = new StringBuilder(command);
        exact.append(" --seconds ").append(seconds).append(" --seed ").append(seed).append(" --processes ")
                .append(processes).append(" --threads ").append(threads);
        if (names > 0) {
            exact.append(" --names ").append(names);
        }
        if (quorum > 0) {
            exact.append(" --quorum ").append(quorum);
        }
        if (majorityFaults) {
            exact.append(" --majority-faults");
        }
        if (cluster) {
            exact.append(" --cluster");
        }
        return new ChaosConfig(seconds, seed, processes, threads, out, List.of(FaultType.values()), exact.toString(),
                names, quorum, majorityFaults, cluster);
    }
}
