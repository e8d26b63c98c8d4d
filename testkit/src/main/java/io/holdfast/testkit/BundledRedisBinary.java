package io.holdfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The last resort before Docker: a {@code redis-server} build shipped inside a Maven Central
 * artifact ({@code com.github.codemonstur:embedded-redis}, Redis 6.2), so that a machine with only
 * a JDK can run the tests and the demo. Extracted once per user into the temp directory.
 */
final class BundledRedisBinary {

    private BundledRedisBinary() {
    }

    /** The extracted binary for this OS and CPU, if the artifact has one and it runs here. */
    static Optional<Path> locate() {
        String resource = resourceName();
        if (resource == null) {
            return Optional.empty();
        }
        try (InputStream in = BundledRedisBinary.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"),
                    "holdfast-redis-" + System.getProperty("user.name", "user"));
            Files.createDirectories(dir);
            Path target = dir.resolve(resource);
            if (!Files.isExecutable(target)) {
                Path part = Files.createTempFile(dir, resource, ".part");
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                part.toFile().setExecutable(true);
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return runs(target) ? Optional.of(target) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled redis-server", e);
        }
    }

    private static String resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux")) {
            return x64 ? "redis-server-6.2.6-v5-linux-amd64" : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
        }
        if (os.contains("mac")) {
            return x64 ? "redis-server-6.2.6-v5-darwin-amd64" : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
        }
        return null;
    }

    /** Whether the binary starts on this machine (its shared libraries may be missing). */
    private static boolean runs(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
