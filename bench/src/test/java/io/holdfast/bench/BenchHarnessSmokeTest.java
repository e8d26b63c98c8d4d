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
 * works: every scenario runs briefly on every library against a throwaway redis-server (the
 * {@code cluster-*} ones against a throwaway 3-master + 3-replica cluster, about 17 s of the run)
 * and produces its rows. It checks what must hold whatever the timing (no failed round, counters
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
                        "crash", "churn", "scale-waiters", "scale-clients", "scale-names", "scale-churn",
                        "cluster-uncontended", "cluster-contended", "cluster-wakeups");
        assertThat(results).extracting(r -> r.scenario().id()).as("the quorum and multi-lock rows, over five masters")
                .contains("quorum-uncontended", "quorum-contended", "quorum-multilock-uncontended", "quorum-multilock-contended",
                        "quorum-multilock-oneserver-uncontended", "quorum-multilock-oneserver-contended");
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
        assertThat(md).contains("## uncontended", "## churn", "| Holdfast/Redisson |", "| Holdfast/Spring |", "Redis 7",
                "## scale-waiters", "## scale-clients", "## scale-names", "## scale-churn", "## cluster-wakeups");
        assertThat(Files.readString(out.resolve(BenchRun.CHART))).startsWith("<svg").contains("polyline");
        scalingCounts(results, out);
        clusterCounts(results);
    }

    /**
     * The Cluster scenarios (Redis 7, as asserted above): Holdfast's wake-ups are sharded and reach no
     * node outside the lock's shard, while Spring's classic ones reach every node, which shows the
     * bus counters the zero is read from do count.
     */
    private static void clusterCounts(List<ScenarioResult> results) {
        ScenarioResult wakeups = byId(results, "cluster-wakeups");
        assertThat(wakeups.median(Library.HOLDFAST, ClusterWakeupsScenario.SHARDED)).as("Holdfast SPUBLISH per acquisition")
                .isGreaterThan(0);
        assertThat(wakeups.median(Library.HOLDFAST, ClusterWakeupsScenario.OUTSIDE)).as("Holdfast: bus messages outside the shard")
                .isZero();
        assertThat(wakeups.median(Library.SPRING, ClusterWakeupsScenario.OUTSIDE)).as("Spring (classic PUBLISH): bus messages outside the shard")
                .isGreaterThan(0);
        for (String id : List.of("cluster-uncontended", "cluster-contended")) {
            ScenarioResult r = byId(results, id);
            for (Library l : r.libraries()) {
                assertThat(r.median(l, "Redis commands/op (all)")).as(id + " " + l + ": commands per operation on the masters")
                        .isGreaterThanOrEqualTo(2);
            }
        }
    }

    /** The scaling scenarios: a row per size and library, exact counts where they must be exact, a curve file each. */
    private static void scalingCounts(List<ScenarioResult> results, Path out) throws Exception {
        Settings quick = Settings.quickMode();
        for (ScenarioResult r : results) {
            if (!(r.scenario() instanceof ScalingScenario s)) {
                continue;
            }
            for (Library l : r.libraries()) {
                for (int n : s.sizes(quick)) {
                    for (String curve : s.curves()) {
                        assertThat(r.median(l, ScalingScenario.at(curve, n))).as(s.id() + " " + l + " " + curve + " @ " + n)
                                .isNotNull();
                    }
                }
            }
            assertThat(Files.readString(out.resolve(s.chartFile()))).as(s.chartFile()).startsWith("<svg").contains("polyline");
        }
        ScenarioResult waiters = byId(results, "scale-waiters");
        ScenarioResult clients = byId(results, "scale-clients");
        ScenarioResult names = byId(results, "scale-names");
        for (Library l : waiters.libraries()) {
            assertThat(waiters.median(l, WaitersScenario.KEYS_LEFT)).as("waiters: keys left, " + l).isZero();
            for (int n : quick.waiterCounts()) {
                // a hand-over is at least one unlock and one acquire command
                assertThat(waiters.median(l, ScalingScenario.at(WaitersScenario.HANDOVER_COMMANDS, n)))
                        .as("waiters: commands per hand-over, " + l + " @ " + n).isGreaterThanOrEqualTo(2);
            }
        }
        for (Library l : clients.libraries()) {
            assertThat(clients.median(l, ClientsScenario.LOST)).as("clients: lost counter updates, " + l).isZero();
        }
        for (Library l : names.libraries()) {
            // leases lost is left out: with the quick mode's 900 ms lease it depends on the machine's load
            assertThat(names.median(l, NamesScenario.KEYS_LEFT)).as("names: keys left, " + l).isZero();
        }
        ScenarioResult churn = byId(results, "scale-churn");
        for (Library l : churn.libraries()) {
            assertThat(churn.median(l, ChurnNamesScenario.KEYS_LEFT)).as("churn: keys left, " + l).isZero();
            assertThat(churn.median(l, ChurnNamesScenario.CHANNELS_LEFT)).as("churn: channels left, " + l).isZero();
        }
        // Holdfast's hand-over is one unlock script that grants the next waiter: flat in the queue length
        List<Integer> sizes = quick.waiterCounts();
        assertThat(waiters.median(Library.HOLDFAST, ScalingScenario.at(WaitersScenario.HANDOVER_COMMANDS, sizes.get(sizes.size() - 1))))
                .as("Holdfast commands per hand-over, largest queue")
                .isLessThanOrEqualTo(1.5 * waiters.median(Library.HOLDFAST, ScalingScenario.at(WaitersScenario.HANDOVER_COMMANDS, sizes.get(0))));
        // the cost pass under MONITOR: every size has its count without the refresh calls, which is a
        // release script plus what it runs at least, and a share of refreshes between 0 and 1
        for (int n : sizes) {
            Double net = waiters.median(Library.HOLDFAST, ScalingScenario.at(WaitersScenario.NET_HANDOVER_COMMANDS, n));
            assertThat(net).as("Holdfast commands per hand-over without refreshes @ " + n).isNotNull().isGreaterThanOrEqualTo(2.0);
            assertThat(waiters.median(Library.HOLDFAST, ScalingScenario.at(WaitersScenario.REFRESH_SHARE, n)))
                    .as("refresh share @ " + n).isBetween(0.0, 1.0);
        }
        assertThat(waiters.median(Library.HOLDFAST, WaitersScenario.NET_GROWTH)).as("without refreshes, largest / smallest")
                .isLessThanOrEqualTo(1.5);
    }

    private static ScenarioResult byId(List<ScenarioResult> results, String id) {
        return results.stream().filter(r -> r.scenario().id().equals(id)).findFirst().orElseThrow();
    }
}
