package io.holdfast.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Temporary directories and log tails for the fixtures. */
final class TempFiles {

    private static final Logger log = LoggerFactory.getLogger(TempFiles.class);

    private TempFiles() {}

    /** Creates a temporary directory that is deleted at JVM exit if its owner forgets to. */
    static Path createDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            ProcessReaper.register(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /** Deletes {@code dir} and everything below it; failures are logged, not thrown. */
    static void deleteRecursively(Path dir) {
        ProcessReaper.forget(dir);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    /** The size of {@code file} in bytes, or 0 if it does not exist. */
    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last {@code maxLines} lines written to {@code file} after byte {@code fromOffset}. */
    static String tail(Path file, long fromOffset, int maxLines) {
        if (!Files.exists(file)) {
            return "(no output)";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.min(fromOffset, in.length());
            byte[] bytes = new byte[(int) Math.min(in.length() - start, 1 << 20)];
            in.seek(in.length() - bytes.length);
            in.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            return Arrays.stream(lines, Math.max(0, lines.length - maxLines), lines.length)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
