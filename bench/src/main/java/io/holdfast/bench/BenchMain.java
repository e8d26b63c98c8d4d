package io.holdfast.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command line: {@code ./holdfast bench [--quick] [--only ID[,ID...]] [--out DIR]}. Writes
 * {@code DIR/RESULTS.md}, {@code DIR/latency.svg} and {@code DIR/scale-*.svg} (default DIR: {@code bench}).
 * {@code --only scale} runs the scaling scenarios alone.
 */
public final class BenchMain {

    private static final String USAGE = "usage: ./holdfast bench [--quick] [--only ID[,ID...]] [--out DIR]";

    private BenchMain() {
    }

    /** The option value at {@code i}, or the usage and exit 2 when the option is the last argument. */
    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("holdfast bench: " + args[i - 1] + " needs a value");
            System.err.println(USAGE);
            System.exit(2);
        }
        return args[i];
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Settings settings = Settings.full();
        Path out = Path.of("bench");
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.quickMode();
                case "--out" -> out = Path.of(value(args, ++i));
                case "--only" -> only.addAll(Arrays.asList(value(args, ++i).split(",")));
                default -> {
                    System.err.println("holdfast bench: unknown option " + args[i]);
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        }
        String command = System.getProperty("holdfast.bench.command", "java -jar holdfast-bench-all.jar")
                + (args.length == 0 ? "" : " " + String.join(" ", args));
        List<ScenarioResult> results = BenchRun.run(settings, out, only, command);
        System.err.println("[bench] wrote " + out.resolve(BenchRun.RESULTS) + ", " + out.resolve(BenchRun.CHART)
                + " and the scale-*.svg curves of the scaling scenarios run");
        boolean failed = results.stream().anyMatch(r -> !r.failures().isEmpty());
        System.exit(failed ? 1 : 0);
    }
}
