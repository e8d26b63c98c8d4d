package io.holdfast.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./holdfast chaos [--minutes N | --seconds N] [--seed S] [--processes N] [--threads N]
 * [--out FILE]}: a seeded randomized chaos run. Prints progress every ~10 s and the report at the
 * end, writes the report to {@code --out} (default {@code chaos/RESULTS.md}); exits 1 on any finding.
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] args) throws IOException {
        ChaosConfig config = ChaosConfig.parse(args, System.getProperty("holdfast.chaos.command", "./holdfast chaos"));
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
}
