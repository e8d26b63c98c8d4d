package io.holdfast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's quick mode, run as a test so that {@code mvn verify} proves the harness still
 * works: every scenario runs briefly on every library against a throwaway redis-server and
 * produces its rows. It checks what must hold whatever the timing (no failed round, counters
 * exact, files written) and never a speed or a ratio: this is not a benchmark.
 */
@Tag("integration")
class BenchHarnessSmokeTest {

    @Test
    void quickRun_producesEveryScenarioForEveryLibrary(@TempDir Path out) throws Exception {
        List<ScenarioResult> results = BenchRun.run(Settings.quickMode(), out, List.of(), "BenchHarnessSmokeTest");

        assertThat(results).extracting(r -> r.scenario().id())
                .contains("uncontended", "reentrant", "contended-1x8", "contended-4x2", "handoff-2ms",
                        "handoff-20ms", "watchdog-200", "watchdog-1000", "fair-4x2", "read", "write-mixed",
                        "crash", "churn");
        for (ScenarioResult r : results) {
            assertThat(r.failures()).as(r.scenario().id()).isEmpty();
            assertThat(r.libraries()).as(r.scenario().id()).containsExactlyInAnyOrderElementsOf(r.scenario().libraries());
            assertThat(r.metrics()).as(r.scenario().id()).isNotEmpty();
            if (r.metrics().contains("lost counter updates")) {
                for (Library l : r.libraries()) {
                    assertThat(r.median(l, "lost counter updates")).as(r.scenario().id() + " " + l).isZero();
                }
            }
        }
        String md = Files.readString(out.resolve(BenchRun.RESULTS));
        assertThat(md).contains("## uncontended", "## churn", "| Holdfast/Redisson |", "Redis 7");
        assertThat(Files.readString(out.resolve(BenchRun.CHART))).startsWith("<svg").contains("polyline");
    }
}
