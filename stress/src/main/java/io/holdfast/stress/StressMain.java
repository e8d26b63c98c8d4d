package io.holdfast.stress;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.openjdk.jcstress.Main;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;

/**
 * Runs jcstress as the build does, then also fails on what jcstress itself lets pass: a test
 * whose state could not even be built (jcstress reports it SKIPPED after a failed "sanity check",
 * e.g. a constructor that throws or a stale class on the class path) and a run that ran no test.
 * A forbidden outcome or a test error already fails inside jcstress (it throws, exit code 1).
 *
 * <p>Arguments: those of {@code org.openjdk.jcstress.Main}. The result blob is read from the
 * working directory, where jcstress writes it.
 */
public final class StressMain {

    private static final String BLOB_GLOB = "jcstress-results-*.bin.gz";

    private StressMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        for (Path old : blobs(dir)) {
            Files.delete(old);
        }
        Main.main(args);
        List<Path> blobs = blobs(dir);
        if (blobs.size() != 1) {
            fail("expected one jcstress result blob in " + dir + ", found " + blobs);
        }
        InProcessCollector results = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(blobs.get(0).toString(), results);
        reader.dump();
        reader.close();
        TreeSet<String> ran = new TreeSet<>();
        TreeSet<String> notRun = new TreeSet<>();
        for (TestResult r : results.getTestResults()) {
            (r.status() == Status.NORMAL && r.getTotalCount() > 0 ? ran : notRun).add(r.getName());
        }
        if (!notRun.isEmpty()) {
            fail("jcstress did not run (skipped, or no samples): " + notRun);
        }
        if (ran.isEmpty()) {
            fail("jcstress ran no test: does the test filter match any?");
        }
        System.out.println(ran.size() + " jcstress tests ran, none failed: " + ran);
    }

    private static List<Path> blobs(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, BLOB_GLOB)) {
            s.forEach(found::add);
        }
        return found;
    }

    private static void fail(String message) {
        System.err.println("FAILED: " + message);
        System.exit(1);
    }
}
