package io.holdfast.chaos.run;

import io.holdfast.chaos.history.CheckResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one chaos run.
 *
 * @param rawHistory where the merged raw history was kept (only on a finding), or {@code null}
 * @param finishMillis how long the workers took to end their last cycles once the workload's time was up
 * @param stragglers stacks of worker threads still in a cycle long after the end (liveness, not safety)
 * @param unexpectedTraces the first stack traces of unexpected exceptions, from the workers' stderr
 */
public record RunOutcome(ChaosConfig config, long elapsedSeconds, CheckResult result, Map<String, Integer> faults,
                         List<String> leakedKeys, List<String> toleratedKeys, Path rawHistory, long finishMillis,
                         List<String> stragglers, List<String> unexpectedTraces) {

    /** Whether anything was found: a safety violation, an unexpected exception, or a leaked key. */
    public boolean hasFindings() {
        return result.hasFindings() || !leakedKeys.isEmpty();
    }

    /** The report, as markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Chaos run\n\n");
        md.append("Command: `").append(config.command()).append("`\n\n");
        md.append("| | |\n| --- | --- |\n");
        row(md, "seed", config.seed());
        row(md, "duration", elapsedSeconds + " s (workload " + config.seconds() + " s)");
        row(md, "processes × threads", config.processes() + " × " + config.threads());
        if (config.quorum() > 0) {
            row(md, "masters (quorum mode)", config.quorum() + ", majority faults " + (config.majorityFaults() ? "ON" : "off"));
        }
        if (config.cluster()) {
            row(md, "topology (Cluster mode)", "3 masters + 3 replicas, one fault proxy per node per worker; names "
                    + ChaosWorker.clusterNames(config.names()));
        }
        row(md, "holds per role (X default, F fair, R read, W write, Q quorum; multi-lock members by their role)",
                result.holdsByRole());
        if (!result.groups().isEmpty()) {
            row(md, "quorum and multi-lock holds", result.groups());
        }
        row(md, "faults injected", faults);
        row(md, "overlaps", result.overlaps().size());
        if (config.cluster()) {
            row(md, "overlaps the failure model allows (a failover between them lost one of the two holds; not findings, that one must be told)",
                    result.exemptOverlaps().size());
        }
        row(md, "token violations", result.tokenViolations().size());
        row(md, "unreported losses (overtaken holds never told)", result.unreportedLosses().size());
        row(md, "multi-lock group-shape violations", result.groupViolations().size());
        row(md, "unexpected exceptions", result.unexpectedErrors());
        row(md, "leaked keys", leakedKeys.size());
        row(md, "keys left but tolerated (bounded: rw turn keys with a TTL, per-slot fencing-token keys)", toleratedKeys.size());
        row(md, "holds exempt (spanned a Redis restart" + (config.quorum() > 0 ? " of a majority" : "")
                + (config.cluster() ? ", or a failover of their slot's master" : "") + ")",
                result.exemptHolds());
        row(md, "longest free-lock-unclaimed gap (outside faults)",
                String.format("%.1f ms (%s)", result.longestUnclaimedGapNanos() / 1e6, result.longestGap()));
        row(md, "workers' last cycles ended after the workload's end", String.format("%.1f s", finishMillis / 1e3));
        row(md, "raw history", rawHistory == null ? "not kept (no finding)" : rawHistory.toString());
        section(md, "Overlaps", result.overlaps());
        section(md, "Overlaps across a failover (allowed)", result.exemptOverlaps());
        section(md, "Token violations", result.tokenViolations());
        section(md, "Unreported losses", result.unreportedLosses());
        section(md, "Multi-lock group shape", result.groupViolations());
        section(md, "Leaked keys", leakedKeys);
        if (!stragglers.isEmpty()) {
            md.append("\n## Stragglers (worker threads still in a cycle ").append(ChaosWorker.STRAGGLER_SECONDS)
                    .append(" s after the end; liveness, not safety)\n\n```\n");
            stragglers.stream().limit(200).forEach(l -> md.append(l).append('\n'));
            md.append("```\n");
        }
        if (!unexpectedTraces.isEmpty()) {
            md.append("\n## Unexpected exceptions (first traces, from the workers' stderr)\n\n```\n");
            unexpectedTraces.forEach(l -> md.append(l).append('\n'));
            md.append("```\n");
        }
        section(md, "Tolerated keys", toleratedKeys);
        return md.toString();
    }

    private static void row(StringBuilder md, String name, Object value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static void section(StringBuilder md, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append(" (").append(lines.size()).append(", first 20)\n\n");
        lines.stream().limit(20).forEach(l -> md.append("- ").append(l).append('\n'));
    }
}
