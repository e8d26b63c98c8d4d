package io.holdfast.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A short seeded chaos run in quorum mode (40 s, five masters, 2 processes × 3 threads, every fault
 * type on a minority of the masters): quorum locks, multi-locks and single member locks must show no
 * overlap, no token violation, no unreported loss, no broken group hold and no leaked key. The
 * report goes to {@code chaos/target/chaos-quorum-quick-run.md}. Reproduce it with
 * {@code ./holdfast chaos --seconds 40 --seed 20261211 --processes 2 --threads 3 --quorum 5}.
 */
@Tag("integration")
class ChaosQuorumQuickRunTest {

    static final long SEED = 20261211L;

    @Test
    void aShortQuorumRunWithEveryFaultTypeOnAMinority_findsNothing() throws Exception {
        Path out = Path.of("target", "chaos-quorum-quick-run.md");
        ChaosConfig config = new ChaosConfig(40, SEED, 2, 3, out, List.of(FaultType.values()),
                "./holdfast chaos --seconds 40 --seed " + SEED + " --processes 2 --threads 3 --quorum 5", 0, 5, false);
        RunOutcome outcome = ChaosRun.run(config);
        String report = outcome.markdown();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);

        assertThat(outcome.result().holdsByRole().get('Q')).as(report).isGreaterThan(100);
        assertThat(outcome.result().groups()).as(report).containsKeys("multi-lock holds of 2 members",
                "multi-lock holds of 3 members");
        assertThat(outcome.faults().values().stream().mapToInt(Integer::intValue).sum()).as(report).isGreaterThan(5);
        assertThat(outcome.result().overlaps()).as(report).isEmpty();
        assertThat(outcome.result().tokenViolations()).as(report).isEmpty();
        assertThat(outcome.result().unreportedLosses()).as(report).isEmpty();
        assertThat(outcome.result().groupViolations()).as(report).isEmpty();
        assertThat(outcome.result().unexpectedErrors()).as(report).isEmpty();
        assertThat(outcome.leakedKeys()).as(report).isEmpty();
    }
}
