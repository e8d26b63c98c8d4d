package io.holdfast.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A short seeded chaos run in Cluster mode (55 s, 3 masters + 3 replicas, 2 processes × 3 threads,
 * every fault type of the mode: proxy faults toward one node or all, worker stops and kills, a
 * master paused, stopped (a failover past the node timeout) and killed (a failover), a slot
 * migration): every lock kind on names spread over the three shards must show no overlap outside a
 * failover of the name's master, no token violation, no unreported loss and no leaked key. The
 * report goes to {@code chaos/target/chaos-cluster-quick-run.md}. Reproduce it with
 * {@code ./holdfast chaos --seconds 55 --seed 20261230 --processes 2 --threads 3 --cluster}.
 */
@Tag("integration")
class ChaosClusterQuickRunTest {

    static final long SEED = 20261230L;

    @Test
    void aShortClusterRunWithEveryFaultTypeOfTheMode_findsNothing() throws Exception {
        Path out = Path.of("target", "chaos-cluster-quick-run.md");
        ChaosConfig config = new ChaosConfig(55, SEED, 2, 3, out, List.of(FaultType.values()),
                "./holdfast chaos --seconds 55 --seed " + SEED + " --processes 2 --threads 3 --cluster", 0, 0, false, true);
        RunOutcome outcome = ChaosRun.run(config);
        String report = outcome.markdown();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);

        assertThat(outcome.result().holdsByRole()).as(report).containsKeys('X', 'F', 'R', 'W');
        assertThat(outcome.faults().values().stream().mapToInt(Integer::intValue).sum()).as(report).isGreaterThan(8);
        assertThat(outcome.faults()).as(report).containsKeys("FAILOVER", "SLOT_MIGRATION", "CLIENT_PAUSE");
        assertThat(outcome.faults().keySet()).as(report).anyMatch(k -> k.startsWith("MASTER_SIGSTOP"));
        assertThat(outcome.result().overlaps()).as(report).isEmpty();
        assertThat(outcome.result().tokenViolations()).as(report).isEmpty();
        assertThat(outcome.result().unreportedLosses()).as(report).isEmpty();
        assertThat(outcome.result().unexpectedErrors()).as(report).isEmpty();
        assertThat(outcome.leakedKeys()).as(report).isEmpty();
    }
}
