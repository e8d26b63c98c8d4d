package io.holdfast.bench;

import io.holdfast.testkit.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One whole benchmark run: starts a throwaway Redis (and a Redis Cluster if a {@code cluster-*}
 * scenario is selected), runs every scenario in interleaved rounds
 * (Holdfast, Redisson[, Spring][, floor], Holdfast, ...), and writes {@code RESULTS.md},
 * {@code latency.svg} and one {@code scale-*.svg} per scaling scenario into the output directory.
 */
final class BenchRun {

    static final String RESULTS = "RESULTS.md";
    static final String CHART = "latency.svg";

    private BenchRun() {
    }

    /** Every scenario, in the order they run and appear in RESULTS.md. */
    static List<Scenario> scenarios() {
        return List.of(
                new UncontendedScenario(),
                new ReentrantScenario(),
                new ContendedScenario(1, 8, false),
                new ContendedScenario(4, 2, false),
                new HandoffScenario(2),
                new HandoffScenario(20),
                new WatchdogScenario(0),
                new ContendedScenario(4, 2, true),
                new ReadScenario(),
                new WriteMixedScenario(),
                new CrashScenario(),
                new ChurnScenario(),
                new WaitersScenario(),
                new ClientsScenario(),
                new NamesScenario(),
                new ChurnNamesScenario(),
                new ClusterUncontendedScenario(),
                new ClusterContendedScenario(),
                new ClusterWakeupsScenario(),
                new QuorumScenario(QuorumScenario.Shape.QUORUM, false),
                new QuorumScenario(QuorumScenario.Shape.QUORUM, true),
                new QuorumScenario(QuorumScenario.Shape.MULTI, false),
                new QuorumScenario(QuorumScenario.Shape.MULTI, true),
                new QuorumScenario(QuorumScenario.Shape.MULTI_ONE_SERVER, false),
                new QuorumScenario(QuorumScenario.Shape.MULTI_ONE_SERVER, true));
    }

    /**
     * Runs the scenarios whose id starts with one of {@code only} (all if empty).
     *
     * @return the results, also written to {@code outDir}
     */
    static List<ScenarioResult> run(Settings settings, Path outDir, List<String> only, String command)
            throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String commit = RunInfo.gitCommit(); // the tree the jar was built from, before anybody edits it
        List<ScenarioResult> results = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(); RedisProbe probe = new RedisProbe(redis.uri());
                Bench bench = new Bench(redis, probe, settings)) {
            for (Scenario s : expand(settings)) {
                if (!only.isEmpty() && only.stream().noneMatch(s.id()::startsWith)) {
                    continue;
                }
                results.add(runRounds(s, bench));
            }
            RunInfo info = new RunInfo(command, probe.serverVersion(), started, (System.nanoTime() - t0) / 1e9, settings, commit);
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve(RESULTS), new ResultsReport(info, results).markdown());
            Files.writeString(outDir.resolve(CHART), chart(results));
            for (ScenarioResult r : results) {
                if (r.scenario() instanceof ScalingScenario s) {
                    Files.writeString(outDir.resolve(s.chartFile()), curves(s, r, settings));
                }
            }
        } finally {
            QuorumServers.close(); // the extra masters of the quorum scenarios, if they ran
        }
        return results;
    }

    /** The scenario list with the watchdog scenario once per lock count of the settings. */
    private static List<Scenario> expand(Settings settings) {
        List<Scenario> all = new ArrayList<>();
        for (Scenario s : scenarios()) {
            if (s instanceof WatchdogScenario) {
                settings.watchdogLocks().forEach(n -> all.add(new WatchdogScenario(n)));
            } else {
                all.add(s);
            }
        }
        return all;
    }

    private static ScenarioResult runRounds(Scenario s, Bench bench) {
        ScenarioResult result = new ScenarioResult(s);
        for (int round = 1; round <= s.rounds(bench.settings()); round++) {
            for (Library library : s.libraries()) {
                System.err.printf("[bench] %s round %d %s%n", s.id(), round, library.label());
                try {
                    result.add(library, s.run(library, bench));
                } catch (Exception | AssertionError e) {
                    System.err.println("[bench] " + s.id() + " " + library.label() + " failed: " + e);
                    e.printStackTrace();
                    result.failed(library, e);
                } finally {
                    bench.probe().flush();
                }
            }
        }
        return result;
    }

    /** One panel per curve of {@code s}: the median over rounds at each size, per library. */
    static String curves(ScalingScenario s, ScenarioResult r, Settings settings) {
        CurveChart chart = new CurveChart(s.sizeLabel());
        for (String metric : s.curves()) {
            java.util.Map<Library, List<double[]>> series = new java.util.EnumMap<>(Library.class);
            for (Library library : r.libraries()) {
                List<double[]> points = new ArrayList<>();
                for (int n : s.sizes(settings)) {
                    Double v = r.median(library, ScalingScenario.at(metric, n));
                    if (v != null) {
                        points.add(new double[] {n, v});
                    }
                }
                series.put(library, points);
            }
            chart.add(s.id() + ": " + metric, series);
        }
        return chart.svg();
    }

    private static String chart(List<ScenarioResult> results) {
        SvgChart chart = new SvgChart();
        for (ScenarioResult r : results) {
            String latency = r.scenario().charted();
            if (latency != null) {
                chart.add(r.scenario().id() + ": " + latency,
                        r.merged(Library.HOLDFAST, latency), r.merged(Library.REDISSON, latency),
                        r.merged(Library.SPRING, latency));
            }
        }
        return chart.svg();
    }
}
