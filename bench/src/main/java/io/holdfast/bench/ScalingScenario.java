package io.holdfast.bench;

import java.util.List;

/**
 * A scenario measured at several sizes (waiters, clients, names held): each metric once per size,
 * named {@code "metric @ size"}, and drawn as curves against the size in an SVG of its own next to
 * RESULTS.md.
 */
interface ScalingScenario extends Scenario {

    /** The sizes, smallest first. */
    List<Integer> sizes(Settings settings);

    /** What a size counts, for the x axis (e.g. {@code waiters on one lock}). */
    String sizeLabel();

    /** The metrics drawn, one panel each (names without the {@code @ size}). */
    List<String> curves();

    /** The chart's file name, next to RESULTS.md. */
    default String chartFile() {
        return id() + ".svg";
    }

    /** Metric {@code metric} at size {@code n}. */
    static String at(String metric, int n) {
        return metric + " @ " + n;
    }

    /** {@code at(metric, largest) / at(metric, smallest)} of one round, or NaN if either is missing or 0. */
    static double growth(Measurement m, String metric, List<Integer> sizes) {
        Double first = m.values().get(at(metric, sizes.get(0)));
        Double last = m.values().get(at(metric, sizes.get(sizes.size() - 1)));
        return first == null || last == null || first == 0 ? Double.NaN : last / first;
    }
}
