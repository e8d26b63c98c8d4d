package io.holdfast.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A short seeded chaos run (40 s, 3 processes × 3 threads, every fault type) that must show no
 * overlap, no token violation and no unreported loss. The report goes to
 * {@code chaos/target/chaos-quick-run.md}. Reproduce it with
 * {@code ./holdfast chaos --seconds 40 --seed 20261205 --processes 3 --threads 3}.
 */
@Tag("integration")
class ChaosQuickRunTest {

    static final long SEED = 20261205L;

    @Test
    void aShortRunWithEveryFaultType_findsNoDoubleHoldNoTokenInversionAndNoSilentLoss() throws Exception {
        Path out = Path.of("target", "chaos-quick-run.md");
        ChaosConfig config = new ChaosConfig(40, SEED, 3, 3, out, List.of(FaultType.values()),
                "./holdfast chaos --seconds 40 --seed " + SEED + " --processes 3 --threads 3");
        RunOutcome outcome = ChaosRun.run(config);
        String report = outcome.markdown();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);

        assertThat(outcome.result().holdsByRole().values().stream().mapToInt(Integer::intValue).sum())
                .as(report).isGreaterThan(100);
        assertThat(outcome.faults().values().stream().mapToInt(Integer::intValue).sum()).as(report).isGreaterThan(5);
        assertThat(outcome.result().overlaps()).as(report).isEmpty();
        assertThat(outcome.result().tokenViolations()).as(report).isEmpty();
        assertThat(outcome.result().unreportedLosses()).as(report).isEmpty();
    }
}
