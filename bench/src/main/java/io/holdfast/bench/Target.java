package io.holdfast.bench;

import java.util.Locale;
import java.util.Map;

/**
 * One target of the issue, checked against the medians of one run.
 *
 * @param text the target as the issue states it
 * @param metric the metric it is about
 * @param kind how the Holdfast median is compared
 * @param bound the number it is compared with
 */
record Target(String text, String metric, Kind kind, double bound) {

    /** How the Holdfast median is compared with {@link #bound}. */
    enum Kind {
        /** Holdfast / Redisson at least bound. */
        RATIO_AT_LEAST,
        /** Holdfast / Redisson at most bound. */
        RATIO_AT_MOST,
        /** Holdfast / floor at least bound. */
        FLOOR_RATIO_AT_LEAST,
        /** Holdfast / floor at most bound. */
        FLOOR_RATIO_AT_MOST,
        /** Holdfast's value at most bound. */
        AT_MOST
    }

    static Target ratioAtLeast(String text, String metric, double bound) {
        return new Target(text, metric, Kind.RATIO_AT_LEAST, bound);
    }

    static Target ratioAtMost(String text, String metric, double bound) {
        return new Target(text, metric, Kind.RATIO_AT_MOST, bound);
    }

    static Target floorRatioAtLeast(String text, String metric, double bound) {
        return new Target(text, metric, Kind.FLOOR_RATIO_AT_LEAST, bound);
    }

    static Target floorRatioAtMost(String text, String metric, double bound) {
        return new Target(text, metric, Kind.FLOOR_RATIO_AT_MOST, bound);
    }

    static Target atMost(String text, String metric, double bound) {
        return new Target(text, metric, Kind.AT_MOST, bound);
    }

    /**
     * The verdict on these medians (library → median of {@link #metric}). A ratio target is met
     * only if it holds against every peer measured (Redisson, and Spring's RedisLockRegistry where
     * the scenario runs it).
     */
    Verdict check(Map<Library, Double> medians) {
        if ((kind == Kind.RATIO_AT_LEAST || kind == Kind.RATIO_AT_MOST) && medians.containsKey(Library.SPRING)) {
            Verdict redisson = check(medians, Library.REDISSON);
            Verdict spring = check(medians, Library.SPRING);
            return new Verdict(redisson.met() && spring.met(),
                    "vs Redisson " + redisson.detail() + "; vs Spring " + spring.detail());
        }
        return check(medians, kind == Kind.RATIO_AT_LEAST || kind == Kind.RATIO_AT_MOST ? Library.REDISSON : null);
    }

    private Verdict check(Map<Library, Double> medians, Library peer) {
        Double hf = medians.get(Library.HOLDFAST);
        Library other = switch (kind) {
            case RATIO_AT_LEAST, RATIO_AT_MOST -> peer;
            case FLOOR_RATIO_AT_LEAST, FLOOR_RATIO_AT_MOST -> Library.FLOOR;
            case AT_MOST -> null;
        };
        Double base = other == null ? null : medians.get(other);
        if (hf == null || (other != null && (base == null || base == 0))) {
            return new Verdict(false, "not measured");
        }
        double value = other == null ? hf : hf / base;
        boolean atLeast = kind == Kind.RATIO_AT_LEAST || kind == Kind.FLOOR_RATIO_AT_LEAST;
        boolean met = atLeast ? value >= bound : value <= bound;
        String shown = other == null ? fmt(value) : fmt(value) + "x";
        if (met) {
            return new Verdict(true, shown + ": met");
        }
        double by = bound == 0 ? value : Math.abs(value - bound) / bound * 100;
        return new Verdict(false, shown + ": missed" + (bound == 0 ? "" : " by " + fmt(by) + "%"));
    }

    /** Met or not, and the measured number. */
    record Verdict(boolean met, String detail) {
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
