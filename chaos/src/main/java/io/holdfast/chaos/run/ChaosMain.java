package io.holdfast.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.holdfast.chaos.history.CheckResult;
import io.holdfast.chaos.history.History;
import io.holdfast.chaos.history.HistoryChecker;

/**
 * {@code ./holdfast chaos [--minutes N | --seconds N] [--seed S] [--processes N] [--threads N]
 * [--names N] [--quorum N [--majority-faults] | --cluster] [--out FILE]}: a seeded randomized chaos run. Prints progress every ~10 s and the report at the
 * end, writes the report to {@code --out} (default {@code chaos/RESULTS.md}); exits 1 on any finding.
 * {@code ./holdfast chaos --check FILE} checks a kept raw history again and prints the findings.
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--check")) {
            System.exit(recheck(Path.of(args[1])) ? 1 : 0);
        }
        ChaosConfig config;
        try {
            config = ChaosConfig.parse(args, System.getProperty("holdfast.chaos.command", "./holdfast chaos"));
        } catch (IllegalArgumentException e) { // NumberFormatException too: a missing or bad value
            System.err.println("holdfast chaos: " + e.getMessage() + " (see ./holdfast chaos --help)");
            System.exit(2);
            return;
        }
        System.out.println("chaos: " + config.command());
        RunOutcome outcome = ChaosRun.run(config);
        String md = outcome.markdown();
        System.out.println(md);
        Path out = config.out();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, md);
        System.out.println("report written to " + out);
        System.exit(outcome.hasFindings() ? 1 : 0);
    }

    /** Checks a kept raw history file again; returns whether anything was found. */
    private static boolean recheck(Path file) {
        CheckResult r = HistoryChecker.check(new History().addFile(file));
        System.out.println("holds " + r.holdsByRole() + ", exempt " + r.exemptHolds());
        print("overlaps", r.overlaps());
        print("overlaps across a Cluster failover (allowed; the hold it lost must be told)", r.exemptOverlaps());
        print("token violations", r.tokenViolations());
        print("unreported losses", r.unreportedLosses());
        print("multi-lock group-shape violations", r.groupViolations());
        System.out.println("quorum and multi-lock holds: " + r.groups());
        System.out.println("unexpected exceptions: " + r.unexpectedErrors());
        System.out.printf("longest free-lock-unclaimed gap: %.1f ms (%s)%n", r.longestUnclaimedGapNanos() / 1e6, r.longestGap());
        return r.hasFindings();
    }

    private static void print(String title, List<String> lines) {
        System.out.println(title + ": " + lines.size());
        lines.forEach(l -> System.out.println("- " + l));
    }
}
