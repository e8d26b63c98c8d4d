package io.holdfast.bench;

import java.util.List;
import java.util.Map;

/** Writes RESULTS.md: how it was run, a summary of targets, then every scenario's table. */
final class ResultsReport {

    private final RunInfo info;
    private final List<ScenarioResult> results;

    ResultsReport(RunInfo info, List<ScenarioResult> results) {
        this.info = info;
        this.results = results;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Holdfast vs Redisson (and Spring's RedisLockRegistry) — benchmark results\n\n");
        md.append(info.markdown()).append('\n');
        md.append("## Targets\n\n| scenario | target | Holdfast | compared with | result |\n| --- | --- | --- | --- | --- |\n");
        for (ScenarioResult r : results) {
            for (Target t : r.scenario().targets()) {
                Map<Library, Double> medians = r.medians(t.metric());
                Target.Verdict v = t.check(medians);
                md.append("| ").append(r.scenario().id())
                        .append(" | ").append(t.text())
                        .append(" | ").append(cell(medians.get(Library.HOLDFAST)))
                        .append(" | ").append(comparedWith(t, medians))
                        .append(" | ").append(v.met() ? "**met** " : "**missed** ").append(v.detail())
                        .append(" |\n");
            }
        }
        md.append("\nA ratio is Holdfast / Redisson (Holdfast / Spring, Holdfast / floor) of the medians; "
                + "a ratio target on a scenario that runs Spring must hold against both peers. ")
                .append("Cells are the median of the rounds, with the spread (min–max) below.\n");
        for (ScenarioResult r : results) {
            scenario(md, r);
        }
        return md.toString();
    }

    private void scenario(StringBuilder md, ScenarioResult r) {
        md.append("\n## ").append(r.scenario().id()).append("\n\n").append(r.scenario().description())
                .append(" Rounds: ").append(r.roundCount()).append(".\n\n");
        List<Library> libs = r.scenario().libraries();
        md.append("| metric |");
        libs.forEach(l -> md.append(' ').append(l.label()).append(" |"));
        md.append(" Holdfast/Redisson |");
        if (libs.contains(Library.SPRING)) {
            md.append(" Holdfast/Spring |");
        }
        if (libs.contains(Library.FLOOR)) {
            md.append(" Holdfast/floor |");
        }
        md.append("\n| --- |");
        libs.forEach(l -> md.append(" --- |"));
        md.append(" --- |").append(libs.contains(Library.SPRING) ? " --- |" : "")
                .append(libs.contains(Library.FLOOR) ? " --- |\n" : "\n");
        for (String metric : r.metrics()) {
            md.append("| ").append(metric).append(" |");
            for (Library l : libs) {
                md.append(' ').append(spread(r, l, metric)).append(" |");
            }
            md.append(' ').append(ratio(r, metric, Library.REDISSON)).append(" |");
            if (libs.contains(Library.SPRING)) {
                md.append(' ').append(ratio(r, metric, Library.SPRING)).append(" |");
            }
            if (libs.contains(Library.FLOOR)) {
                md.append(' ').append(ratio(r, metric, Library.FLOOR)).append(" |");
            }
            md.append('\n');
        }
        for (Library l : libs) {
            String mix = r.commandMix(l);
            if (!mix.isEmpty()) {
                md.append("\nRedis commands per operation, ").append(l.label()).append(" (last round, `INFO commandstats`): ")
                        .append(mix).append('\n');
            }
        }
        for (String f : r.failures()) {
            md.append("\nFailed round: ").append(f).append('\n');
        }
    }

    private static String spread(ScenarioResult r, Library l, String metric) {
        double[] v = r.values(l, metric);
        if (v.length == 0) {
            return "—";
        }
        String median = Target.fmt(r.median(l, metric));
        return v.length == 1 ? median : median + " <br>(" + Target.fmt(v[0]) + "–" + Target.fmt(v[v.length - 1]) + ")";
    }

    private static String ratio(ScenarioResult r, String metric, Library base) {
        Double hf = r.median(Library.HOLDFAST, metric);
        Double other = r.median(base, metric);
        if (hf == null || other == null || other == 0) {
            return "—";
        }
        return Target.fmt(hf / other) + "x";
    }

    /** The number the target compares Holdfast with: Redisson's, the floor's, or the bound. */
    private static String comparedWith(Target t, Map<Library, Double> medians) {
        return switch (t.kind()) {
            case RATIO_AT_LEAST, RATIO_AT_MOST -> "Redisson " + cell(medians.get(Library.REDISSON))
                    + (medians.containsKey(Library.SPRING) ? ", Spring " + cell(medians.get(Library.SPRING)) : "");
            case FLOOR_RATIO_AT_LEAST, FLOOR_RATIO_AT_MOST -> "floor " + cell(medians.get(Library.FLOOR));
            case AT_MOST -> "bound " + Target.fmt(t.bound()) + " (Redisson " + cell(medians.get(Library.REDISSON))
                    + (medians.containsKey(Library.SPRING) ? ", Spring " + cell(medians.get(Library.SPRING)) : "") + ")";
        };
    }

    private static String cell(Double v) {
        return v == null ? "—" : Target.fmt(v);
    }
}
