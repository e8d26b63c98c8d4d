package io.holdfast.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** Every round of one scenario, per library, and the statistics over them. */
final class ScenarioResult {

    private final Scenario scenario;
    private final Map<Library, List<Measurement>> rounds = new EnumMap<>(Library.class);
    private final List<String> failures = new ArrayList<>();

    ScenarioResult(Scenario scenario) {
        this.scenario = scenario;
    }

    Scenario scenario() {
        return scenario;
    }

    void add(Library library, Measurement m) {
        rounds.computeIfAbsent(library, k -> new ArrayList<>()).add(m);
    }

    /** A round that threw: it counts for nothing and is listed under the table. */
    void failed(Library library, Throwable e) {
        failures.add(library.label() + ": " + e);
    }

    List<String> failures() {
        return failures;
    }

    Set<Library> libraries() {
        return rounds.keySet();
    }

    int roundCount() {
        return rounds.values().stream().mapToInt(List::size).min().orElse(0);
    }

    /** Metric names in the order the scenario put them. */
    Set<String> metrics() {
        Set<String> names = new LinkedHashSet<>();
        rounds.values().forEach(list -> list.forEach(m -> names.addAll(m.values().keySet())));
        return names;
    }

    /** The library's values of {@code metric}, one per round, sorted. */
    double[] values(Library library, String metric) {
        return rounds.getOrDefault(library, List.of()).stream()
                .map(m -> m.values().get(metric))
                .filter(v -> v != null && !v.isNaN())
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
    }

    /** The median over rounds, or null if never measured. */
    Double median(Library library, String metric) {
        double[] v = values(library, metric);
        if (v.length == 0) {
            return null;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Medians of {@code metric} per library. */
    Map<Library, Double> medians(String metric) {
        Map<Library, Double> m = new EnumMap<>(Library.class);
        for (Library l : rounds.keySet()) {
            Double v = median(l, metric);
            if (v != null) {
                m.put(l, v);
            }
        }
        return m;
    }

    /** The Redis command mix per operation of the library's last round, or "" if none. */
    String commandMix(Library library) {
        List<Measurement> list = rounds.getOrDefault(library, List.of());
        return list.isEmpty() ? "" : list.get(list.size() - 1).commandMix();
    }

    /** The histograms of {@code latency} of every round of the library, added up. */
    Histogram merged(Library library, String latency) {
        Histogram all = Load.histogram();
        for (Measurement m : rounds.getOrDefault(library, List.of())) {
            Histogram h = m.latencies().get(latency);
            if (h != null) {
                all.add(h);
            }
        }
        return all;
    }
}
